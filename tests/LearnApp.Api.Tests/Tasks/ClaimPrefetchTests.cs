using System.Text.Json;
using LearnApp.Data.Entities;
using LearnApp.Tasks;
using LearnApp.Tasks.Execution;
using LearnApp.Tasks.Handlers;
using LearnApp.Tasks.Queue;
using LearnApp.Tasks.Routing;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>
/// A worker reads a handler's first row with its claim when the queue entry names the job's payload. The handler
/// must get that row exactly as its own read would give it, and only when the claimed job has the hinted payload.
/// </summary>
public sealed class ClaimPrefetchTests(PostgresServerFixture postgres, RedisServerFixture redis) : IDisposable
{
    private const string TaskType = "test_reads_ahead";
    private readonly string _directory = TestWorkDirectory.Create("prefetch");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestWorkDirectory.Delete(_directory);
    }

    [Fact]
    public async Task AHintNamingTheJobsPayloadGivesTheHandlerTheAttemptAsEfReadsIt()
    {
        var handler = new KeepsWhatItWasGiven();
        await using var api = await StartAsync("postgres", handler);
        var (job, attempt) = await JobWithAttemptAsync(api);

        var outcome = await api.Services.GetRequiredService<JobRunner>().RunAsync(job.Id, "worker-test", new JobHint(TaskType, job.Payload!), Cancel);

        Assert.Equal(JobRunOutcome.Succeeded, outcome);
        var given = Assert.IsType<SpeakingAttempt>(handler.Prefetched);
        var row = await api.WithDbAsync(db => db.SpeakingAttempts.AsNoTracking().SingleAsync(a => a.Id == attempt, Cancel));
        foreach (var property in typeof(SpeakingAttempt).GetProperties())
        {
            var (mine, its) = (property.GetValue(given), property.GetValue(row));
            Assert.True(mine is byte[] bytes ? bytes.AsSpan().SequenceEqual((byte[])its!) : Equals(mine, its),
                $"{property.Name}: the handler was given {mine ?? "null"}, the row holds {its ?? "null"}");
        }
        Assert.Equal(DateTimeKind.Utc, given.CreatedAt.Kind);
    }

    [Theory]
    [InlineData("another payload")]
    [InlineData("another type")]
    [InlineData("an unreadable payload")]
    [InlineData("no hint")]
    public async Task AHintThatDoesNotMatchTheClaimedJobGivesTheHandlerNothing(string hint)
    {
        var handler = new KeepsWhatItWasGiven();
        await using var api = await StartAsync("postgres", handler);
        var (job, _) = await JobWithAttemptAsync(api);
        // A real attempt of the same user: a read made for it finds a row, which must still not reach the handler.
        var (_, other) = await JobWithAttemptAsync(api);
        JobHint? made = hint switch
        {
            "another payload" => new JobHint(TaskType, Payload(other)),
            "another type" => new JobHint(TaskNames.ProcessSpeakAudio, job.Payload!),
            "an unreadable payload" => new JobHint(TaskType, "{not json"),
            _ => null,
        };

        var outcome = await api.Services.GetRequiredService<JobRunner>().RunAsync(job.Id, "worker-test", made, Cancel);

        Assert.Equal(JobRunOutcome.Succeeded, outcome);
        Assert.True(handler.Ran);
        Assert.Null(handler.Prefetched);
    }

    [Theory]
    [InlineData("rejected by PostgreSQL")]
    [InlineData("a row it cannot read")]
    public async Task AReadAheadThatFailsCostsOnlyItselfTheJobIsClaimedOnceAndItsHandlerReadsForItself(string failure)
    {
        var attemptRead = ProcessSpeakAudioHandler.AttemptPrefetch;
        var broken = failure == "rejected by PostgreSQL"
            // A column the table does not have, as after a rename the handler's SQL did not follow.
            ? attemptRead with { QueryFor = payload => attemptRead.QueryFor(payload)! with { Sql = """SELECT "Spoken" FROM "speaking_attempts" WHERE "Id" = {0}""" } }
            : attemptRead with { Read = row => row.GetInt32(0) };
        var handler = new KeepsWhatItWasGiven(broken);
        await using var api = await StartAsync("postgres", handler);
        var (job, _) = await JobWithAttemptAsync(api);

        var outcome = await api.Services.GetRequiredService<JobRunner>().RunAsync(job.Id, "worker-test", new JobHint(TaskType, job.Payload!), Cancel);

        Assert.Equal(JobRunOutcome.Succeeded, outcome);
        Assert.True(handler.Ran);
        Assert.Null(handler.Prefetched);
        var row = await api.WithDbAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Id, Cancel));
        Assert.Equal((JobStatus.Succeeded, 1, "worker-test"), (row.Status, row.Attempts, row.ExecutedBy));
        Assert.Contains(api.Logs.AtLeast(LogLevel.Warning), e => e.Message.Contains("read ahead", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnSqliteTheClaimReadsNothingAhead()
    {
        var handler = new KeepsWhatItWasGiven();
        await using var api = await StartAsync("sqlite", handler);
        var (job, _) = await JobWithAttemptAsync(api);

        var outcome = await api.Services.GetRequiredService<JobRunner>().RunAsync(job.Id, "worker-test", new JobHint(TaskType, job.Payload!), Cancel);

        Assert.Equal(JobRunOutcome.Succeeded, outcome);
        Assert.True(handler.Ran);
        Assert.Null(handler.Prefetched);
    }

    [Fact]
    public async Task AJobThroughTheQueueCarriesItsPayloadAndReachesItsHandlerWithTheAttemptReadAhead()
    {
        var handler = new KeepsWhatItWasGiven();
        var scenario = new TaskScenario(await postgres.CreateDatabaseAsync("prefetch"), redis.ConnectionString);
        await using var api = scenario.CreateApi("queue", services =>
        {
            services.AddSingleton<ITaskHandler>(handler);
            // The worker's consumer, in this process, so the test handler is the one it runs.
            services.AddSingleton<QueueConsumer>();
            services.AddHostedService(provider => provider.GetRequiredService<QueueConsumer>());
        });
        await api.MigrateAsync();
        var (_, userId) = await api.CreateUserClientAsync();
        var attempt = await AttemptAsync(api, userId);

        var job = await api.WithDbAsync(db => api.Services.GetRequiredService<TaskDispatcher>()
            .EnqueueAsync(db, TaskType, userId, new ProcessSpeakAudioPayload(attempt), Cancel));
        var finished = await TaskScenario.FinishedJobAsync(api, job.Id);

        Assert.Equal((JobStatus.Succeeded, TaskRoute.Queue), (finished.Status, finished.DispatchedTo));
        var given = Assert.IsType<SpeakingAttempt>(handler.Prefetched);
        Assert.Equal(attempt, given.Id);
    }

    private async Task<ApiFactory> StartAsync(string provider, KeepsWhatItWasGiven handler)
    {
        // In-process, no Redis: nothing runs the jobs but the test's own calls (the sweeper leaves jobs dispatched minutes ago alone).
        var scenario = provider == "postgres"
            ? new TaskScenario(await postgres.CreateDatabaseAsync("prefetch"), redisConnectionString: null)
            : new TaskScenario(databaseConnectionString: null, redisConnectionString: null)
                .With("ConnectionStrings:sqlite", $"Data Source={Path.Combine(_directory, "learnapp.db")}");
        var api = scenario.CreateApi("inprocess", services => services.AddSingleton<ITaskHandler>(handler));
        await api.MigrateAsync();
        return api;
    }

    /// <summary>A speaking attempt and a queued job of the test's type whose payload names it (nothing dispatches it).</summary>
    private static async Task<(Job Job, Guid Attempt)> JobWithAttemptAsync(ApiFactory api)
    {
        var (_, userId) = await api.CreateUserClientAsync();
        var attempt = await AttemptAsync(api, userId);
        var job = new Job
        {
            Id = Guid.CreateVersion7(),
            Type = TaskType,
            Status = JobStatus.Queued,
            UserId = userId,
            Payload = Payload(attempt),
            CreatedAt = DateTime.UtcNow.AddSeconds(-1),
        };
        await api.WithDbAsync(async db =>
        {
            db.Jobs.Add(job);
            return await db.SaveChangesAsync(Cancel);
        });
        return (job, attempt);
    }

    private static async Task<Guid> AttemptAsync(ApiFactory api, Guid userId)
    {
        var attempt = new SpeakingAttempt
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            CardId = await api.WithDbAsync(db => db.Cards.Select(c => c.Id).FirstAsync(Cancel)),
            Audio = [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))],
            CreatedAt = DateTime.UtcNow,
        };
        await api.WithDbAsync(async db =>
        {
            db.SpeakingAttempts.Add(attempt);
            return await db.SaveChangesAsync(Cancel);
        });
        return attempt.Id;
    }

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private static string Payload(Guid attempt) => JsonSerializer.Serialize(new ProcessSpeakAudioPayload(attempt), s_json);

    /// <summary>Reads ahead as the speaking handler does (or as it is told), and keeps what the runner gave it.</summary>
    private sealed class KeepsWhatItWasGiven(TaskPrefetch? prefetch = null) : ITaskHandler
    {
        public object? Prefetched { get; private set; }

        public bool Ran { get; private set; }

        public string TaskType => ClaimPrefetchTests.TaskType;

        public TaskPrefetch Prefetch { get; } = prefetch ?? ProcessSpeakAudioHandler.AttemptPrefetch;

        public Task<object?> ExecuteAsync(TaskExecution execution, CancellationToken cancellationToken)
        {
            (Prefetched, Ran) = (execution.Prefetched, true);
            return Task.FromResult<object?>(null);
        }
    }
}
