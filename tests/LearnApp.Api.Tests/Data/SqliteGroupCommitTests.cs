using System.Data.Common;
using LearnApp.Data;
using LearnApp.Data.CompiledModels.Sqlite;
using LearnApp.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LearnApp.Api.Tests.Data;

/// <summary>
/// SQLite's all-or-nothing writes that queue for the writer together commit in one transaction, each in a savepoint:
/// one write's failure takes back only its own statements (see SqliteGroupCommit).
/// </summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private const string CreateTable = "CREATE TABLE \"words\" (\"Word\" TEXT NOT NULL UNIQUE)";
    private const string InsertTwo = "INSERT INTO \"words\" (\"Word\") VALUES ({0}); INSERT INTO \"words\" (\"Word\") VALUES ({1});";

    private readonly string _directory = TestWorkDirectory.Create("sqlite-group-commit");
    private readonly CommitCounter _commits = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        TestWorkDirectory.Delete(_directory);
    }

    [Fact]
    public async Task WritesThatQueueTogetherCommitOnce()
    {
        var pool = await PoolAsync(SqliteCommitMode.Waiting);
        var contexts = Enumerable.Range(0, 5).Select(_ => pool.Context()).ToArray();

        var writes = await WhileTheWriterIsBusy(pool, () =>
            [.. contexts.Select((db, i) => AllOrNothingSql.ExecuteAsync(db, InsertTwo, [$"a{i}", $"b{i}"], Cancel))]);
        await Task.WhenAll(writes);

        Assert.Equal(1, _commits.Count);
        Assert.Equal(10, await CountAsync(pool.Context()));
    }

    [Fact]
    public async Task AFailingWriteTakesBackOnlyItsOwnStatements()
    {
        var pool = await PoolAsync(SqliteCommitMode.Waiting);
        await AllOrNothingSql.ExecuteAsync(pool.Context(), InsertTwo, ["taken", "other"], Cancel);
        _commits.Count = 0;

        // The middle write's first statement succeeds and its second meets the unique word.
        var writes = await WhileTheWriterIsBusy(pool, () =>
        [
            AllOrNothingSql.ExecuteAsync(pool.Context(), InsertTwo, ["one", "two"], Cancel),
            AllOrNothingSql.ExecuteAsync(pool.Context(), InsertTwo, ["lost", "taken"], Cancel),
            AllOrNothingSql.ExecuteAsync(pool.Context(), InsertTwo, ["three", "four"], Cancel),
        ]);

        await writes[0];
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => writes[1]);
        await writes[2];
        Assert.True(DbErrors.IsUniqueViolation(failure), failure.ToString());
        Assert.Equal(1, _commits.Count);
        Assert.Equal(["four", "one", "other", "taken", "three", "two"], await WordsAsync(pool.Context()));
    }

    [Fact]
    public async Task AWriteCancelledWhileQueuedIsNotWritten()
    {
        var pool = await PoolAsync(SqliteCommitMode.Waiting);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Cancel);

        var writes = await WhileTheWriterIsBusy(pool, () =>
        [
            AllOrNothingSql.ExecuteAsync(pool.Context(), InsertTwo, ["kept", "too"], Cancel),
            AllOrNothingSql.ExecuteAsync(pool.Context(), InsertTwo, ["cancelled", "also"], cancellation.Token),
        ], beforeRelease: cancellation.Cancel);

        await writes[0];
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writes[1]);
        Assert.Equal(["kept", "too"], await WordsAsync(pool.Context()));
    }

    [Fact]
    public async Task AWriteInsideATransactionOfItsContextIsRefusedAtOnce()
    {
        var pool = await PoolAsync(SqliteCommitMode.Waiting);
        var db = pool.Context();
        await using var transaction = await db.Database.BeginTransactionAsync(Cancel);

        // Queued, it would wait for the writer's turn behind the lock this transaction is about to take.
        await Assert.ThrowsAsync<InvalidOperationException>(() => AllOrNothingSql.ExecuteAsync(db, InsertTwo, ["in", "side"], Cancel));
        Assert.Equal(0, SqliteGroupCommit.QueuedFor(db));
    }

    [Fact]
    public async Task APoolsWritesGroupOnlyWithItsOwnAndCommitInItsMode()
    {
        var requests = await PoolAsync(SqliteCommitMode.Waiting);
        var background = requests.WithMode(SqliteCommitMode.NotWaiting);

        var writes = await WhileTheWriterIsBusy(requests, () =>
        [
            AllOrNothingSql.ExecuteAsync(requests.Context(), InsertTwo, ["r1", "r2"], Cancel),
            AllOrNothingSql.ExecuteAsync(background.Context(), InsertTwo, ["b1", "b2"], Cancel),
            AllOrNothingSql.ExecuteAsync(requests.Context(), InsertTwo, ["r3", "r4"], Cancel),
        ], queued: () => SqliteGroupCommit.QueuedFor(requests.Context()) + SqliteGroupCommit.QueuedFor(background.Context()));
        await Task.WhenAll(writes);

        // One commit for the two requests' writes (FULL, 2) and one for the background write (NORMAL, 1).
        Assert.Equal([1L, 2L], _commits.Synchronous.Order());
        Assert.Equal(6, await CountAsync(requests.Context()));
    }

    /// <summary>
    /// Holds the writer's turn while the writes start, until all of them wait in their groups, so they must group.
    /// </summary>
    private static async Task<Task[]> WhileTheWriterIsBusy(Pool pool, Func<Task[]> start, Action? beforeRelease = null, Func<int>? queued = null)
    {
        var holder = pool.Context();
        Task[] writes;
        using (await SqliteWriterTurns.WaitTurnAsync(holder, Cancel))
        {
            writes = start();
            queued ??= () => SqliteGroupCommit.QueuedFor(holder);
            await Eventually.ReturnsAsync(() => Task.FromResult(queued()), count => count == writes.Length);
            Assert.All(writes, write => Assert.False(write.IsCompleted));
            beforeRelease?.Invoke();
        }
        return writes;
    }

    private async Task<Pool> PoolAsync(SqliteCommitMode mode)
    {
        var pool = new Pool($"Data Source={Path.Combine(_directory, "words.db")}", _commits, mode);
        await pool.Context().Database.ExecuteSqlRawAsync(CreateTable, Cancel);
        return pool;
    }

    private static Task<int> CountAsync(LearnAppDbContext db) =>
        db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM \"words\"").SingleAsync(Cancel);

    private static Task<List<string>> WordsAsync(LearnAppDbContext db) =>
        db.Database.SqlQueryRaw<string>("SELECT \"Word\" AS \"Value\" FROM \"words\" ORDER BY \"Word\"").ToListAsync(Cancel);

    /// <summary>Contexts of one options instance, as a pool's are: they form one group.</summary>
    private sealed class Pool(string connectionString, CommitCounter commits, SqliteCommitMode mode)
    {
        private readonly DbContextOptions<SqliteLearnAppDbContext> _options = new DbContextOptionsBuilder<SqliteLearnAppDbContext>()
            .UseSqlite(connectionString)
            .UseModel(SqliteLearnAppDbContextModel.Instance)
            .AddInterceptors(SqliteBusyTimeout.Instance, mode, commits)
            .Options;

        public SqliteLearnAppDbContext Context() => new(_options);

        public Pool WithMode(SqliteCommitMode other) => new(connectionString, commits, other);
    }

    /// <summary>Counts commits and reads the synchronous setting each commits with.</summary>
    private sealed class CommitCounter : DbTransactionInterceptor
    {
        public int Count { get; set; }

        public List<long> Synchronous { get; } = [];

        public override async ValueTask<InterceptionResult> TransactionCommittingAsync(
            DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "PRAGMA synchronous";
            Synchronous.Add(Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture));
            Count++;
            return result;
        }
    }
}
