using LearnApp.Api.Tests.Tasks;
using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.Tasks.Execution;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnApp.Api.Tests.Data;

/// <summary>
/// On SQLite background work commits without waiting for the disk (synchronous NORMAL, 1) on a pool of its own, and
/// requests wait (FULL, 2), though both draw on the same file's connections (see SqliteCommitMode).
/// </summary>
public sealed class SqliteCommitModeTests : IDisposable
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
    public async Task AJobCommitsWithoutWaitingAndARequestAfterItWaits()
    {
        var handler = new ReadsSynchronous();
        // In-process, no Redis: nothing runs the job but the call below.
        await using var api = Scenario().CreateApi("inprocess", services => services.AddSingleton<ITaskHandler>(handler));
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
        // Most likely on the connection the job gave back: the pool keeps one idle connection here.
        Assert.Equal(2, await api.WithDbAsync(db => SynchronousAsync(db)));
    }

    [Fact]
    public async Task EachPoolSetsItsModeOnEveryOpenAndBothShareEfsServices()
    {
        await using var api = Scenario().CreateApi("inprocess");
        await api.MigrateAsync();
        await using var scope = api.Services.CreateAsyncScope();
        var request = scope.ServiceProvider.GetRequiredService<LearnAppDbContext>();
        var background = scope.ServiceProvider.GetBackgroundDbContext();

        // Turn about, so each open may take the connection the other pool just closed.
        long[] seen = [await SynchronousAsync(request), await SynchronousAsync(background), await SynchronousAsync(request), await SynchronousAsync(background)];

        Assert.Equal([2L, 1L, 2L, 1L], seen);
        Assert.NotSame(request, background);
        Assert.Same(request.GetService<ITypeMappingSource>(), background.GetService<ITypeMappingSource>());
    }

    [Fact]
    public async Task AProcessThatDoesNotAskForItWaitsOnItsOnePool()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:sqlite"] = $"Data Source={Path.Combine(_directory, "plain.db")}";
        builder.AddLearnAppData(multiplexRequests: false);
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();

        var context = scope.ServiceProvider.GetRequiredService<LearnAppDbContext>();

        Assert.Same(context, scope.ServiceProvider.GetBackgroundDbContext());
        Assert.Equal(2, await SynchronousAsync(context));
    }

    private TaskScenario Scenario() => new TaskScenario(databaseConnectionString: null, redisConnectionString: null)
        .With("ConnectionStrings:sqlite", $"Data Source={Path.Combine(_directory, "learnapp.db")}");

    private static Task<long> SynchronousAsync(LearnAppDbContext db) =>
        db.Database.SqlQueryRaw<long>("SELECT synchronous AS \"Value\" FROM pragma_synchronous").SingleAsync(Cancel);

    /// <summary>Reads the setting its own transaction commits with.</summary>
    private sealed class ReadsSynchronous : ITaskHandler
    {
        public long? Seen { get; private set; }

        public string TaskType => SqliteCommitModeTests.TaskType;

        public async Task<object?> ExecuteAsync(TaskExecution execution, CancellationToken cancellationToken)
        {
            Seen = await SynchronousAsync(execution.Db);
            return null;
        }
    }
}
