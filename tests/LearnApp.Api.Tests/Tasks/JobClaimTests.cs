using LearnApp.Data.Entities;
using LearnApp.Tasks.Execution;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>
/// The claim reads its row by hand on PostgreSQL and through EF's FromSql on SQLite: on both, the job a handler is
/// given must be the row as EF reads it after the claim, in every column, set or null.
/// </summary>
public sealed class JobClaimTests(PostgresServerFixture postgres) : IDisposable
{
    private readonly string _directory = TestWorkDirectory.Create("claim");

    private const string TaskType = "test_sees_its_job";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestWorkDirectory.Delete(_directory);
    }

    [Theory]
    [InlineData("postgres", true)]
    [InlineData("postgres", false)]
    [InlineData("sqlite", true)]
    [InlineData("sqlite", false)]
    public async Task TheClaimedJobAHandlerGetsIsItsRowAsEfReadsItInEveryColumn(string provider, bool everyColumnSet)
    {
        var handler = new ComparesItsJobWithTheRow();
        // In-process, no Redis: nothing runs the job but the call below (the sweeper leaves jobs dispatched minutes ago alone).
        var scenario = provider == "postgres"
            ? new TaskScenario(await postgres.CreateDatabaseAsync("claim"), redisConnectionString: null)
            : new TaskScenario(databaseConnectionString: null, redisConnectionString: null)
                .With("ConnectionStrings:sqlite", $"Data Source={Path.Combine(_directory, "learnapp.db")}");
        await using var api = scenario.CreateApi("inprocess", services => services.AddSingleton<ITaskHandler>(handler));
        await api.MigrateAsync();
        handler.ReadRow = id => api.WithDbAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id, Cancel));
        var (_, userId) = await api.CreateUserClientAsync();
        var now = DateTime.UtcNow;
        var job = new Job
        {
            Id = Guid.CreateVersion7(),
            Type = TaskType,
            // A running job whose lease ran out is claimable too, and it may carry every column.
            Status = everyColumnSet ? JobStatus.Running : JobStatus.Queued,
            UserId = everyColumnSet ? userId : null,
            Payload = everyColumnSet ? """{"attemptId":"5c4d0f3e-0000-0000-0000-000000000001"}""" : null,
            Result = everyColumnSet ? """{"earlier":true}""" : null,
            Error = everyColumnSet ? "an earlier attempt failed" : null,
            Attempts = everyColumnSet ? 2 : 0,
            ExecutedBy = everyColumnSet ? "worker-gone" : null,
            DispatchedTo = everyColumnSet ? "queue" : null,
            CreatedAt = now.AddSeconds(-30),
            DispatchedAt = everyColumnSet ? now.AddSeconds(-29) : null,
            StartedAt = everyColumnSet ? now.AddSeconds(-20) : null,
            FinishedAt = everyColumnSet ? now.AddSeconds(-10) : null,
            LeaseExpiresAt = everyColumnSet ? now.AddSeconds(-5) : null,
            TraceParent = everyColumnSet ? "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" : null,
        };
        await api.WithDbAsync(async db =>
        {
            db.Jobs.Add(job);
            return await db.SaveChangesAsync(Cancel);
        });

        var outcome = await api.Services.GetRequiredService<JobRunner>().RunAsync(job.Id, "worker-test", Cancel);

        Assert.Equal(JobRunOutcome.Succeeded, outcome);
        var (given, row) = (handler.Given!, handler.Row!);
        foreach (var property in typeof(Job).GetProperties())
        {
            Assert.True(Equals(property.GetValue(given), property.GetValue(row)),
                $"{property.Name}: the handler was given {property.GetValue(given) ?? "null"}, the row holds {property.GetValue(row) ?? "null"}");
        }
        Assert.Equal((JobStatus.Running, job.Attempts + 1, "worker-test"), (given.Status, given.Attempts, given.ExecutedBy));
        Assert.Equal(DateTimeKind.Utc, given.CreatedAt.Kind);
    }

    /// <summary>Keeps the job it was given and the row as EF reads it at that moment, after the claim.</summary>
    private sealed class ComparesItsJobWithTheRow : ITaskHandler
    {
        public Func<Guid, Task<Job>> ReadRow { get; set; } = _ => throw new InvalidOperationException("set ReadRow first");

        public Job? Given { get; private set; }

        public Job? Row { get; private set; }

        public string TaskType => JobClaimTests.TaskType;

        public async Task<object?> ExecuteAsync(TaskExecution execution, CancellationToken cancellationToken)
        {
            Given = execution.Job;
            Row = await ReadRow(execution.Job.Id);
            return null;
        }
    }
}
