using System.Diagnostics;
using Npgsql;

namespace LearnApp.Data;

/// <summary>
/// PostgreSQL's group commit (<see cref="WriteGroups"/>): the writes of a pool that queue while its last group is in
/// flight go as one batch, one implicit transaction, so PostgreSQL starts, commits and flushes the WAL once for them
/// all. PostgreSQL already lets commits that wait together share a flush; what a group saves is the per-transaction
/// work and the wake-ups of each backend waiting for its flush: in interleaved short `scaled` runs PostgreSQL's CPU per
/// review fell by ~40 %. When PostgreSQL rejects a statement, the batch rolls back whole and each write runs again
/// alone, so only the failing one fails (two first reviews of one card in the same group: one 409, as without groups).
/// A failure that leaves the outcome unknown (the connection broke) fails every write of the group, as it would fail
/// a write of its own, and nothing is run twice.
/// </summary>
public static class PostgresGroupCommit
{
    private static readonly Groups s_groups = new();

    /// <inheritdoc cref="WriteGroups.ExecuteAsync"/>
    public static Task ExecuteAsync(PostgresLearnAppDbContext db, string sql, object?[] parameters, CancellationToken cancellationToken) =>
        s_groups.ExecuteAsync(db, sql, parameters, cancellationToken);

    /// <inheritdoc cref="WriteGroups.QueuedFor"/>
    public static int QueuedFor(LearnAppDbContext db) => s_groups.QueuedFor(db);

    private sealed class Groups : WriteGroups
    {
        protected override async Task CommitAsync(IReadOnlyList<GroupedWrite> writes, Exception?[] errors)
        {
            // One batch, one Npgsql span: under the first write's trace.
            Activity.Current = writes[0].Activity;
            if (writes.Count == 1)
            {
                await PostgresSql.ExecuteAsync(Postgres(writes[0]), writes[0].Sql, writes[0].Parameters, CancellationToken.None);
                return;
            }
            try
            {
                await PostgresSql.ExecuteTogetherAsync(Postgres(writes[0]), [.. writes.Select(w => (w.Sql, (IReadOnlyList<object?>)w.Parameters))], CancellationToken.None);
            }
            // An ERROR rolled the batch back whole; a FATAL one ends the connection, and the outcome goes with it.
            catch (PostgresException rejected) when (rejected.InvariantSeverity == "ERROR")
            {
                Activity.Current = null;
                var alone = writes.Select(ExecuteAloneAsync).ToArray();
                for (var i = 0; i < alone.Length; i++)
                {
                    errors[i] = await alone[i];
                }
            }
        }

        /// <summary>A write of a rejected group, on its own context, under its own trace.</summary>
        private static async Task<Exception?> ExecuteAloneAsync(GroupedWrite write)
        {
            Activity.Current = write.Activity;
            try
            {
                await PostgresSql.ExecuteAsync(Postgres(write), write.Sql, write.Parameters, CancellationToken.None);
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }

        private static PostgresLearnAppDbContext Postgres(GroupedWrite write) => (PostgresLearnAppDbContext)write.Db;
    }
}
