using LearnApp.Data;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace LearnApp.Api.Tests.Data;

/// <summary>
/// On PostgreSQL the all-or-nothing writes of a pool that queue while its last group is in flight commit as one
/// transaction; a rejected group runs each write alone, so only the failing one fails (see PostgresGroupCommit).
/// A row's xmin names the transaction that wrote it.
/// </summary>
public sealed class PostgresGroupCommitTests(PostgresServerFixture postgres) : IAsyncLifetime
{
    private const string InsertTwo = "INSERT INTO \"words\" (\"Word\") VALUES ({0}); INSERT INTO \"words\" (\"Word\") VALUES ({1});";
    // Waits for the row lock the test holds: its group stays in flight while the next writes queue.
    private const string PassTheGate = "UPDATE \"gate\" SET \"N\" = \"N\" + 1; INSERT INTO \"words\" (\"Word\") VALUES ({0});";

    private readonly List<AsyncServiceScope> _scopes = [];
    private ApiFactory _api = null!;
    private string _connectionString = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("group");
        _api = ApiFactory.ForPostgres(_connectionString);
        await _api.MigrateAsync();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(
            """CREATE TABLE "words" ("Word" text NOT NULL UNIQUE); CREATE TABLE "gate" ("N" int NOT NULL); INSERT INTO "gate" VALUES (0);""", connection);
        await command.ExecuteNonQueryAsync(Cancel);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var scope in _scopes)
        {
            await scope.DisposeAsync();
        }
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task WritesThatQueueWhileAGroupIsInFlightCommitInOneTransaction()
    {
        var writes = await BehindTheGate(
            [Request()],
            () => [.. Enumerable.Range(0, 4).Select(i => Write(Request(), InsertTwo, $"a{i}", $"b{i}"))]);
        await Task.WhenAll(writes);

        var transactions = await TransactionsAsync();
        Assert.Single(transactions.Where(t => t.Key != "gate0").Select(t => t.Value).Distinct());
        Assert.Equal(9, transactions.Count);
        Assert.NotEqual(transactions["gate0"], transactions["a0"]);
    }

    [Fact]
    public async Task AWriteThatPostgreSqlRejectsFailsAloneAndTheRestOfItsGroupCommits()
    {
        await Write(Request(), InsertTwo, "taken", "other");

        // The middle write's first statement succeeds and its second meets the unique word.
        var writes = await BehindTheGate([Request()], () =>
        [
            Write(Request(), InsertTwo, "one", "two"),
            Write(Request(), InsertTwo, "lost", "taken"),
            Write(Request(), InsertTwo, "three", "four"),
        ]);

        await writes[0];
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => writes[1]);
        await writes[2];
        Assert.True(DbErrors.IsUniqueViolation(failure), failure.ToString());
        Assert.Equal(["four", "gate0", "one", "other", "taken", "three", "two"], (await TransactionsAsync()).Keys.Order());
    }

    [Fact]
    public async Task APoolsWritesGroupOnlyWithItsOwn()
    {
        // The background pool commits without waiting for the WAL flush; the request pool's writes must not join it.
        var writes = await BehindTheGate([Request(), Background()], () =>
        [
            Write(Request(), InsertTwo, "r1", "r2"),
            Write(Background(), InsertTwo, "b1", "b2"),
            Write(Request(), InsertTwo, "r3", "r4"),
            Write(Background(), InsertTwo, "b3", "b4"),
        ]);
        await Task.WhenAll(writes);

        var transactions = await TransactionsAsync();
        Assert.Equal(transactions["r1"], transactions["r3"]);
        Assert.Equal(transactions["b1"], transactions["b3"]);
        Assert.NotEqual(transactions["r1"], transactions["b1"]);
    }

    /// <summary>
    /// Holds the gate row locked, sends one write per pool through it (each pool's group is then in flight), starts
    /// the writes, waits until all of them are queued, and opens the gate.
    /// </summary>
    private async Task<Task[]> BehindTheGate(LearnAppDbContext[] firsts, Func<Task[]> start)
    {
        await using var gate = new NpgsqlConnection(_connectionString);
        await gate.OpenAsync(Cancel);
        await using var transaction = await gate.BeginTransactionAsync(Cancel);
        await using (var lockRow = new NpgsqlCommand("SELECT \"N\" FROM \"gate\" FOR UPDATE", gate, transaction))
        {
            await lockRow.ExecuteScalarAsync(Cancel);
        }

        var inFlight = firsts.Select((db, i) => Write(db, PassTheGate, $"gate{i}")).ToArray();
        await Eventually.ReturnsAsync(() => Task.FromResult(firsts.Sum(PostgresGroupCommit.QueuedFor)), queued => queued == 0);
        var writes = start();
        await Eventually.ReturnsAsync(() => Task.FromResult(firsts.Sum(PostgresGroupCommit.QueuedFor)), queued => queued == writes.Length);
        Assert.All(writes.Concat(inFlight), write => Assert.False(write.IsCompleted));

        await transaction.CommitAsync(Cancel);
        await Task.WhenAll(inFlight);
        return writes;
    }

    private static Task Write(LearnAppDbContext db, string sql, params object?[] parameters) => AllOrNothingSql.ExecuteAsync(db, sql, parameters, Cancel);

    private LearnAppDbContext Request() => NewScope().ServiceProvider.GetRequiredService<LearnAppDbContext>();

    private LearnAppDbContext Background() => NewScope().ServiceProvider.GetBackgroundDbContext();

    private AsyncServiceScope NewScope()
    {
        var scope = _api.Services.CreateAsyncScope();
        _scopes.Add(scope);
        return scope;
    }

    /// <summary>Each word and the transaction that wrote it.</summary>
    private Task<Dictionary<string, long>> TransactionsAsync() => _api.WithDbAsync(async db =>
        (await db.Database.SqlQueryRaw<WordRow>("SELECT \"Word\", xmin::text::bigint AS \"Transaction\" FROM \"words\"").ToListAsync(Cancel))
            .ToDictionary(row => row.Word, row => row.Transaction));

    private sealed record WordRow(string Word, long Transaction);
}
