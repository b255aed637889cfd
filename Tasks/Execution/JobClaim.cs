using System.Collections.Concurrent;
using LearnApp.Data;
using LearnApp.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace LearnApp.Tasks.Execution;

/// <summary>
/// Claims a job (queued, or running with an expired lease) and returns it as claimed, or null when it is not
/// claimable: one UPDATE … RETURNING round trip where an update and then a select were two, on every job.
/// </summary>
/// <remarks>
/// On PostgreSQL the statement is sent as it is and its row read here. Through EF it was a FromSql query, which EF
/// cannot compile (its funcletizer fails on FromSqlRaw inside EF.CompileAsyncQuery), so EF rebuilt the query, looked
/// it up in its cache and mapped its parameters on every claim: a quarter of the worker's CPU one job at a time, about
/// twice the handler's compiled read (perf). SQLite keeps the FromSql query: EF's type mappings store its Guids and dates as
/// text, and raw SQLite parameters would not match them.
/// </remarks>
internal static class JobClaim
{
    private static readonly ConcurrentDictionary<IModel, string> s_sql = new(ReferenceEqualityComparer.Instance);

    /// <summary>The columns the claim returns, in the order <see cref="Read"/> reads them.</summary>
    private static readonly string[] Columns =
    [
        nameof(Job.Id), nameof(Job.Type), nameof(Job.Status), nameof(Job.UserId), nameof(Job.Payload), nameof(Job.Result),
        nameof(Job.Error), nameof(Job.Attempts), nameof(Job.ExecutedBy), nameof(Job.DispatchedTo), nameof(Job.CreatedAt),
        nameof(Job.DispatchedAt), nameof(Job.StartedAt), nameof(Job.FinishedAt), nameof(Job.LeaseExpiresAt), nameof(Job.TraceParent),
    ];

    /// <summary>
    /// Claims the job; on PostgreSQL a <paramref name="prefetch"/> read goes in the same round trip, and its row (or
    /// null) comes back with the job. A read ahead that fails costs only itself: the job is still claimed (once), and
    /// <paramref name="readAheadFailed"/> hears why. SQLite has no round trips to save and reads nothing ahead.
    /// </summary>
    public static async Task<(Job? Job, object? Prefetched)> ClaimAsync(
        LearnAppDbContext db, Guid jobId, DateTime now, DateTime leaseExpiresAt, string executorName,
        (TaskPrefetch Prefetch, PrefetchQuery Query)? prefetch, Action<Exception> readAheadFailed, CancellationToken cancellationToken)
    {
        var sql = s_sql.GetOrAdd(db.Model, static (_, db) => Sql(db), db);
        object?[] arguments = [nameof(JobStatus.Running), now, executorName, leaseExpiresAt, jobId, nameof(JobStatus.Queued)];
        if (db is PostgresLearnAppDbContext postgres)
        {
            if (prefetch is not { } ahead)
            {
                return (await PostgresSql.QueryFirstOrDefaultAsync(postgres, sql, arguments, Read, cancellationToken), null);
            }
            return await PostgresSql.QueryFirstOrDefaultAsync(postgres, sql, arguments, Read,
                ahead.Query.Sql, ahead.Query.Arguments, ahead.Prefetch.Read, readAheadFailed, cancellationToken);
        }

        await foreach (var job in db.Jobs.FromSqlRaw(sql, arguments!).AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            return (job, null);
        }
        return (null, null);
    }

    /// <summary>The claim with the model's table and column names, in the provider's quoting (PostgreSQL and SQLite both return rows from an UPDATE).</summary>
    private static string Sql(LearnAppDbContext db)
    {
        var (table, column) = JobRunner.Names(db);
        var (status, attempts, lease) = (column(nameof(Job.Status)), column(nameof(Job.Attempts)), column(nameof(Job.LeaseExpiresAt)));
        return $"UPDATE {table} SET {status} = {{0}}, {attempts} = {attempts} + 1, "
            + $"{column(nameof(Job.StartedAt))} = {{1}}, {column(nameof(Job.ExecutedBy))} = {{2}}, {lease} = {{3}} "
            + $"WHERE {column(nameof(Job.Id))} = {{4}} AND ({status} = {{5}} OR ({status} = {{0}} AND {lease} < {{1}})) "
            + $"RETURNING {string.Join(", ", Columns.Select(column))}";
    }

    /// <summary>The claimed row, as EF would materialise it (timestamptz values arrive as UTC).</summary>
    private static Job Read(NpgsqlDataReader row) => new()
    {
        Id = row.GetGuid(0),
        Type = row.GetString(1),
        Status = Enum.Parse<JobStatus>(row.GetString(2)),
        UserId = row.IsDBNull(3) ? null : row.GetGuid(3),
        Payload = row.IsDBNull(4) ? null : row.GetString(4),
        Result = row.IsDBNull(5) ? null : row.GetString(5),
        Error = row.IsDBNull(6) ? null : row.GetString(6),
        Attempts = row.GetInt32(7),
        ExecutedBy = row.IsDBNull(8) ? null : row.GetString(8),
        DispatchedTo = row.IsDBNull(9) ? null : row.GetString(9),
        CreatedAt = row.GetDateTime(10),
        DispatchedAt = row.IsDBNull(11) ? null : row.GetDateTime(11),
        StartedAt = row.IsDBNull(12) ? null : row.GetDateTime(12),
        FinishedAt = row.IsDBNull(13) ? null : row.GetDateTime(13),
        LeaseExpiresAt = row.IsDBNull(14) ? null : row.GetDateTime(14),
        TraceParent = row.IsDBNull(15) ? null : row.GetString(15),
    };
}
