using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace LearnApp.Data;

/// <summary>
/// Runs the app's hand-written SQL (one or more statements with EF's <c>{0}</c> placeholders) on PostgreSQL as a
/// batch with positional parameters. Through EF's ExecuteSqlRaw every call formatted the text, created a named
/// parameter per value (<c>@p0</c>…), and then Npgsql parsed the whole text again to number them and split the
/// statements: that was ~40 % of a review's allocations (dotnet-trace gc-verbose under the bench's review load).
/// Here a text is split and numbered once. A batch without error barriers ends in one Sync, so PostgreSQL runs it
/// as one implicit transaction: a multi-statement write stays all or nothing, as the one command was.
/// </summary>
public static partial class PostgresSql
{
    /// <summary>Texts remembered split: the app has a handful (a review's four, an upload's, an effect per task type).</summary>
    private const int Capacity = 256;

    private static readonly ConcurrentDictionary<string, Statement[]> s_statements = new(StringComparer.Ordinal);

    /// <summary>Executes <paramref name="sql"/>; <c>{n}</c> stands for <paramref name="arguments"/>[n]. Returns the rows all its statements changed.</summary>
    public static async Task<int> ExecuteAsync(
        PostgresLearnAppDbContext db, string sql, IReadOnlyList<object?> arguments, CancellationToken cancellationToken)
    {
        // The context's own connection (and transaction, if one is open): its pool's settings and multiplexing.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = CreateBatch(db, sql, arguments);
            return await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Executes several writes in one batch: one implicit transaction, all of them or none.</summary>
    public static async Task ExecuteTogetherAsync(
        PostgresLearnAppDbContext db, IReadOnlyList<(string Sql, IReadOnlyList<object?> Arguments)> writes, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = CreateBatch(db);
            foreach (var (sql, arguments) in writes)
            {
                AddStatements(batch, sql, arguments);
            }
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Executes several one-statement writes in one round trip, each its own implicit transaction (an error barrier
    /// after each): one that fails rolls back alone and the others still run. Returns the rows each changed, or -1
    /// for one that failed (or whose outcome was never read, when the connection broke), with the batch's error.
    /// Outside an open transaction only: inside one, a failure would abort them all.
    /// </summary>
    public static async Task<(int[] Rows, Exception? Error)> ExecuteEachAsync(
        PostgresLearnAppDbContext db, IReadOnlyList<(string Sql, IReadOnlyList<object?> Arguments)> writes, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("Writes that commit one by one cannot run inside a transaction.");
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = CreateBatch(db);
            batch.EnableErrorBarriers = true;
            foreach (var (sql, arguments) in writes)
            {
                var before = batch.BatchCommands.Count;
                AddStatements(batch, sql, arguments);
                if (batch.BatchCommands.Count != before + 1)
                {
                    throw new ArgumentException($"Each write must be one statement: {sql}", nameof(writes));
                }
            }

            Exception? error = null;
            try
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
            // Npgsql runs every command past a failed one and then throws (all the errors together when several failed).
            catch (NpgsqlException failed)
            {
                error = failed;
            }
            var rows = new int[batch.BatchCommands.Count];
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = batch.BatchCommands[i].RecordsAffected;
            }
            return (rows, error);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Executes <paramref name="sql"/> (placeholders as in <see cref="ExecuteAsync"/>) and reads its first row with
    /// <paramref name="read"/>; default when it returns none.
    /// </summary>
    public static async Task<T?> QueryFirstOrDefaultAsync<T>(
        PostgresLearnAppDbContext db, string sql, IReadOnlyList<object?> arguments, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = CreateBatch(db, sql, arguments);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? read(reader) : default;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// <paramref name="sql"/>'s first row (as in <see cref="QueryFirstOrDefaultAsync{T}"/>) with a read ahead: a second
    /// query sent in the same round trip, with its own placeholders counted from <c>{0}</c> in its own arguments, and
    /// its first row. The read ahead is never worth the first query's result: when PostgreSQL rejects it, the batch's
    /// implicit transaction rolls back whole and <paramref name="sql"/> runs again alone; when its row cannot be read,
    /// the first query's work (committed at the batch's end) stands. Either way <paramref name="readAheadFailed"/>
    /// hears why and the second row is default. Inside an open transaction a rejection aborts it, so it is thrown.
    /// </summary>
    public static async Task<(T1? First, T2? Second)> QueryFirstOrDefaultAsync<T1, T2>(
        PostgresLearnAppDbContext db,
        string sql, IReadOnlyList<object?> arguments, Func<NpgsqlDataReader, T1> read,
        string secondSql, IReadOnlyList<object?> secondArguments, Func<NpgsqlDataReader, T2> readSecond,
        Action<Exception> readAheadFailed, CancellationToken cancellationToken)
    {
        var rejected = false;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = CreateBatch(db, sql, arguments);
            AddStatements(batch, secondSql, secondArguments);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            var first = await reader.ReadAsync(cancellationToken) ? read(reader) : default;
            try
            {
                if (!await reader.NextResultAsync(cancellationToken) || !await reader.ReadAsync(cancellationToken))
                {
                    return (first, default);
                }
            }
            // Npgsql names no failed command here; an error that was the first query's own comes back from its run alone.
            catch (PostgresException error) when (batch.Transaction is null)
            {
                readAheadFailed(error);
                rejected = true;
            }
            if (!rejected)
            {
                try
                {
                    return (first, readSecond(reader));
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    readAheadFailed(error);
                    return (first, default);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return (await QueryFirstOrDefaultAsync(db, sql, arguments, read, cancellationToken), default);
    }

    private static NpgsqlBatch CreateBatch(PostgresLearnAppDbContext db, string sql, IReadOnlyList<object?> arguments)
    {
        var batch = CreateBatch(db);
        AddStatements(batch, sql, arguments);
        return batch;
    }

    private static NpgsqlBatch CreateBatch(PostgresLearnAppDbContext db)
    {
        var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection())
        {
            Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(),
        };
        if (db.Database.GetCommandTimeout() is { } timeout)
        {
            batch.Timeout = timeout;
        }
        return batch;
    }

    private static void AddStatements(NpgsqlBatch batch, string sql, IReadOnlyList<object?> arguments)
    {
        if (!s_statements.TryGetValue(sql, out var statements))
        {
            statements = Split(sql);
            // The bound only guards against a caller that builds its texts ad hoc.
            if (s_statements.Count < Capacity)
            {
                s_statements.TryAdd(sql, statements);
            }
        }
        foreach (var statement in statements)
        {
            var command = new NpgsqlBatchCommand(statement.Text);
            foreach (var index in statement.Arguments)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = arguments[index] ?? DBNull.Value });
            }
            batch.BatchCommands.Add(command);
        }
    }

    /// <summary>
    /// One statement per <c>;</c> outside quotes, each with its own <c>$1</c>… numbering in order of first use; a
    /// placeholder used twice is one parameter.
    /// </summary>
    internal static Statement[] Split(string sql)
    {
        if (sql.Replace("{{", string.Empty, StringComparison.Ordinal).Length != sql.Length)
        {
            throw new ArgumentException("Escaped braces are not supported in the app's SQL.", nameof(sql));
        }

        var statements = new List<Statement>();
        foreach (var text in Statements(sql))
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            var arguments = new List<int>();
            var numbered = Placeholder().Replace(text, match =>
            {
                var index = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
                var position = arguments.IndexOf(index);
                if (position < 0)
                {
                    arguments.Add(index);
                    position = arguments.Count - 1;
                }
                return "$" + (position + 1).ToString(CultureInfo.InvariantCulture);
            });
            if (numbered.Contains('{', StringComparison.Ordinal) || numbered.Contains('}', StringComparison.Ordinal))
            {
                throw new ArgumentException($"A brace in the app's SQL is not a placeholder: {text.Trim()}", nameof(sql));
            }
            statements.Add(new Statement(numbered.Trim(), [.. arguments]));
        }
        return [.. statements];
    }

    internal sealed record Statement(string Text, int[] Arguments);

    private static IEnumerable<string> Statements(string sql)
    {
        var (start, quote) = (0, '\0');
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == ';')
            {
                yield return sql[start..i];
                start = i + 1;
            }
        }
        yield return sql[start..];
    }

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Placeholder();
}
