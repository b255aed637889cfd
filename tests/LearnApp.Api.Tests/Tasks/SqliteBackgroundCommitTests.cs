using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.Tasks.Execution;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>
/// On SQLite a job's transaction commits without waiting for the disk (synchronous NORMAL, 1), and the connection goes
/// back to SQLite's default (FULL, 2) before a request can take it (see SqliteBackgroundCommits).
/// </summary>
public sealed class SqliteBackgroundCommitTests : IDisposable
{
    private readonly string _directory = TestWorkDirectory.Create("sqlite-commits");

    private const string TaskType = "test_reads_synchronous";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestWorkDirectory.Delete(_directory);
    }

    [Fact]
    public async Task AJobCommitsWithoutWaitingAndItsConnectionWaitsAgainAfterwards()
    {
        var handler = new ReadsSynchronous();
        // In-process, no Redis: nothing runs the job but the call below.
        var scenario = new TaskScenario(databaseConnectionString: null, redisConnectionString: null)
            .With("ConnectionStrings:sqlite", $"Data Source={Path.Combine(_directory, "learnapp.db")}");
        await using var api = scenario.CreateApi("inprocess", services => services.AddSingleton<ITaskHandler>(handler));
        await api.MigrateAsync();
        var job = new Job { Id = Guid.CreateVersion7(), Type = TaskType, Status = JobStatus.Queued, CreatedAt = DateTime.UtcNow };
        await api.WithDbAsync(async db =>
        {
            db.Jobs.Add(job);
            return await db.SaveChangesAsync(Cancel);
        });

        var outcome = await api.Services.GetRequiredService<JobRunner>().RunAsync(job.Id, "test", Cancel);

        Assert.Equal(JobRunOutcome.Succeeded, outcome);
        Assert.Equal(1, handler.Seen);
        Assert.Equal(2, await api.WithDbAsync(db => SynchronousAsync(db)));
    }

    [Fact]
    public async Task TheSettingIsPutBackOnTheSameConnection()
    {
        await using var api = new TaskScenario(databaseConnectionString: null, redisConnectionString: null)
            .With("ConnectionStrings:sqlite", $"Data Source={Path.Combine(_directory, "learnapp.db")}")
            .CreateApi("inprocess");
        await api.MigrateAsync();

        var (during, after) = await api.WithDbAsync(async db =>
        {
            // Held open here, so the read after the block is on the connection the block changed, not another from the pool.
            await db.Database.OpenConnectionAsync(Cancel);
            long seen;
            await using (await SqliteBackgroundCommits.BeginAsync(db, Cancel))
            {
                seen = await SynchronousAsync(db);
            }
            return (seen, await SynchronousAsync(db));
        });

        Assert.Equal((1L, 2L), (during, after));
    }

    private static Task<long> SynchronousAsync(LearnAppDbContext db) =>
        db.Database.SqlQueryRaw<long>("SELECT synchronous AS \"Value\" FROM pragma_synchronous").SingleAsync(Cancel);

    /// <summary>Reads the setting its own transaction commits with.</summary>
    private sealed class ReadsSynchronous : ITaskHandler
    {
        public long? Seen { get; private set; }

        public string TaskType => SqliteBackgroundCommitTests.TaskType;

        public async Task<object?> ExecuteAsync(TaskExecution execution, CancellationToken cancellationToken)
        {
            Seen = await SynchronousAsync(execution.Db);
            return null;
        }
    }
}
