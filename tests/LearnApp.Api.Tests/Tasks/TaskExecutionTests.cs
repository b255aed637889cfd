using System.Diagnostics;
using System.Net.Http.Json;
using LearnApp.Data.Entities;
using LearnApp.ServiceDefaults;
using LearnApp.Tasks;
using LearnApp.Tasks.Execution;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>Job lifecycles in the three executor modes, with the real worker executable and real Redis.</summary>
public sealed class TaskExecutionTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private async Task<TaskScenario> ScenarioAsync() => new(await postgres.CreateDatabaseAsync("tasks"), redis.ConnectionString);

    [Fact]
    public async Task InProcessModeRunsTheJobInTheApiAndReportsItsLifecycle()
    {
        await using var api = (await ScenarioAsync()).CreateApi("inprocess");
        await api.MigrateAsync();
        var (client, userId) = await api.CreateUserClientAsync();

        var jobId = await TaskScenario.ReviewAsync(api, client, userId, await TaskScenario.FirstCardAsync(client));
        var job = await Eventually.ReturnsAsync(
            async () => (await client.GetFromJsonAsync<JobBody>($"/api/v1/jobs/{jobId}"))!, j => j.Status == "succeeded");

        Assert.Equal("award_xp", job.Type);
        Assert.Equal("api-1", job.ExecutedBy);
        Assert.Equal(1, job.Attempts);
        Assert.True(job.CreatedAt <= job.StartedAt && job.StartedAt <= job.FinishedAt);
        Assert.Null(job.Error);
    }

    [Fact]
    public async Task TheJobExecutionJoinsTheTraceOfTheRequestThatCreatedIt()
    {
        var finished = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == LearnAppTelemetry.ActivitySourceName || source.Name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (finished) { finished.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var api = (await ScenarioAsync()).CreateApi("inprocess");
        await api.MigrateAsync();
        var (client, userId) = await api.CreateUserClientAsync();

        var jobId = await TaskScenario.ReviewAsync(api, client, userId, await TaskScenario.FirstCardAsync(client));
        var job = await TaskScenario.FinishedJobAsync(api, jobId);

        Assert.NotNull(job.TraceParent);
        var traceId = ActivityContext.Parse(job.TraceParent, null).TraceId;
        var execution = await Eventually.ReturnsAsync(
            () => { lock (finished) { return Task.FromResult(finished.FirstOrDefault(a => a.DisplayName == "task award_xp" && Equals(a.GetTagItem("learnapp.job.id"), jobId))); } },
            a => a is not null);
        Assert.Equal(traceId, execution!.TraceId);
    }

    [Fact]
    public async Task AQueuedJobRunByTheSeparateWorkerProcessJoinsTheTraceOfTheRequestThatCreatedIt()
    {
        await using var sink = await OtlpTraceSink.StartAsync();
        // Both export to the sink, as the AppHost points every service at its dashboard, under names of their own and
        // in batches sent every 100 ms. (A service without an exporter marks its spans unsampled, and the worker's
        // parent-based sampler would then rightly record nothing.)
        var scenario = (await ScenarioAsync())
            .With("OTEL_EXPORTER_OTLP_ENDPOINT", sink.Endpoint.ToString().TrimEnd('/'))
            .With("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            .With("OTEL_BSP_SCHEDULE_DELAY", "100")
            .With("OTEL_SERVICE_NAME", "api-traced");
        await using var api = scenario.CreateApi("queue");
        await api.MigrateAsync();
        var (client, userId) = await api.CreateUserClientAsync();
        await using var worker = await scenario.With("OTEL_SERVICE_NAME", "worker-traced").StartWorkerAsync("worker-traced");

        var jobId = await TaskScenario.ReviewAsync(api, client, userId, await TaskScenario.FirstCardAsync(client));
        var job = await TaskScenario.FinishedJobAsync(api, jobId);
        Assert.Equal("worker-traced", job.ExecutedBy);
        Assert.NotNull(job.TraceParent);

        // The Api's request span, as the job row recorded it: the worker's span must be its child, in its trace.
        var request = ActivityContext.Parse(job.TraceParent, null);
        var traceId = new byte[16];
        request.TraceId.CopyTo(traceId);
        var requestSpanId = new byte[8];
        request.SpanId.CopyTo(requestSpanId);
        await Eventually.ReturnsAsync(
            () => Task.FromResult(sink.AnyExportContainsAll("worker-traced"u8.ToArray(), "task award_xp"u8.ToArray(), traceId, requestSpanId)),
            found => found, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task QueueModeJobsAreRunByTheWorkerProcess()
    {
        var scenario = await ScenarioAsync();
        await using var api = scenario.CreateApi("queue");
        await api.MigrateAsync();
        var (client, userId) = await api.CreateUserClientAsync();
        await using var worker = await scenario.StartWorkerAsync("worker-a");
        await TaskScenario.WaitForStatusAsync(client, s => s.Workers.Any(w => w.Id == "worker-a"));

        var jobId = await TaskScenario.ReviewAsync(api, client, userId, await TaskScenario.FirstCardAsync(client));
        var job = await TaskScenario.FinishedJobAsync(api, jobId);

        Assert.True(job.Status == JobStatus.Succeeded, job.Error ?? worker.Log);
        Assert.Equal("worker-a", job.ExecutedBy);
        Assert.Equal("queue", job.DispatchedTo);
        var me = await client.GetFromJsonAsync<MeBody>("/api/v1/me", TestContext.Current.CancellationToken);
        Assert.Equal(10, me!.Xp);
        var status = await TaskScenario.WaitForStatusAsync(client, s => s.QueueDepth == 0);
        Assert.Equal("queue", status.Executor);
    }

    [Fact]
    public async Task HybridRunsLightTasksInProcessAndHeavyTasksOnALiveWorkerElseInProcess()
    {
        var scenario = await ScenarioAsync();
        await using var api = scenario.CreateApi("hybrid");
        await api.MigrateAsync();
        var (client, userId) = await api.CreateUserClientAsync();
        var worker = await scenario.StartWorkerAsync("worker-h");
        await TaskScenario.WaitForStatusAsync(client, s => s.HeavyTaskRoute == "queue");

        var light = await TaskScenario.FinishedJobAsync(api, await TaskScenario.ReviewAsync(api, client, userId, await TaskScenario.FirstCardAsync(client)));
        var heavyOnWorker = await TaskScenario.FinishedJobAsync(api, await EnqueueRatingsAsync(api));

        // The worker leaves: heavy tasks come home.
        await worker.DisposeAsync();
        var status = await TaskScenario.WaitForStatusAsync(client, s => s.HeavyTaskRoute == "inprocess");
        var heavyInProcess = await TaskScenario.FinishedJobAsync(api, await EnqueueRatingsAsync(api));

        Assert.Equal(("api-1", JobStatus.Succeeded), (light.ExecutedBy, light.Status));
        Assert.Equal(("worker-h", JobStatus.Succeeded), (heavyOnWorker.ExecutedBy, heavyOnWorker.Status));
        Assert.Equal(("api-1", JobStatus.Succeeded), (heavyInProcess.ExecutedBy, heavyInProcess.Status));
        Assert.Empty(status.Workers);
        Assert.Contains("calculate_all_ratings", status.HeavyTasks);
    }

    [Fact]
    public async Task AJobThatCannotSucceedIsFailedWithItsErrorAndDeadLettered()
    {
        var scenario = await ScenarioAsync();
        await using var api = scenario.CreateApi("queue");
        await api.MigrateAsync();
        await using var worker = await scenario.StartWorkerAsync("worker-d");

        var missingUser = Guid.NewGuid();
        var jobId = await EnqueueAsync(api, TaskNames.AwardXp, new { userId = missingUser, xp = 5 });
        var job = await TaskScenario.FinishedJobAsync(api, jobId);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains(missingUser.ToString(), job.Error, StringComparison.Ordinal);
        var deadLetters = await Eventually.ReturnsAsync(() => redis.Connection.GetDatabase().StreamRangeAsync(scenario.DeadLetterKey), d => d.Length == 1);
        Assert.Equal(jobId.ToString(), deadLetters[0]["job"].ToString());
    }

    [Theory]
    [InlineData(false)] // committed queued, never sent: a crash between the commit and the dispatch
    [InlineData(true)]  // committed already claimed for the dying process's own channel, its lease long gone
    public async Task TheSweeperDispatchesAJobStrandedByAProcessThatDiedAfterCommitting(bool claimedByTheDeadProcess)
    {
        var scenario = (await ScenarioAsync()).With("Tasks:StrandedAfter", "00:00:01");
        await using var api = scenario.CreateApi("inprocess");
        await api.MigrateAsync();
        var (_, userId) = await api.CreateUserClientAsync();

        var jobId = Guid.CreateVersion7();
        var aMinuteAgo = DateTime.UtcNow.AddMinutes(-1);
        await api.WithDbAsync(async db =>
        {
            db.Jobs.Add(new Job
            {
                Id = jobId,
                Type = TaskNames.AwardXp,
                Status = claimedByTheDeadProcess ? JobStatus.Running : JobStatus.Queued,
                UserId = userId,
                Payload = $$"""{"userId":"{{userId}}","xp":7}""",
                CreatedAt = aMinuteAgo,
                DispatchedAt = aMinuteAgo,
                DispatchedTo = "inprocess",
                Attempts = claimedByTheDeadProcess ? 1 : 0,
                StartedAt = claimedByTheDeadProcess ? aMinuteAgo : null,
                ExecutedBy = claimedByTheDeadProcess ? "api-dead" : null,
                LeaseExpiresAt = claimedByTheDeadProcess ? aMinuteAgo.AddSeconds(3) : null,
            });
            return await db.SaveChangesAsync();
        });
        var job = await TaskScenario.FinishedJobAsync(api, jobId);

        Assert.Equal((JobStatus.Succeeded, "api-1", claimedByTheDeadProcess ? 2 : 1), (job.Status, job.ExecutedBy, job.Attempts));
        Assert.Equal(7, await api.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Xp).SingleAsync()));
    }

    [Fact]
    public async Task AJobCreatedClaimedWhoseLeaseRanOutBeforeItRanRenewsItAndKeepsItsAttempt()
    {
        // A 1 ms lease has always run out by the time the consumer takes the job from the channel.
        await using var api = (await ScenarioAsync()).With("Tasks:VisibilityTimeout", "00:00:00.001").CreateApi("inprocess");
        await api.MigrateAsync();
        var (client, userId) = await api.CreateUserClientAsync();

        var jobId = await TaskScenario.ReviewAsync(api, client, userId, await TaskScenario.FirstCardAsync(client));
        var job = await TaskScenario.FinishedJobAsync(api, jobId);

        // Attempt 1 still, but started when it really started: the renewal, after the lease had run out.
        Assert.Equal((JobStatus.Succeeded, "api-1", 1), (job.Status, job.ExecutedBy, job.Attempts));
        Assert.True(job.StartedAt > job.CreatedAt.AddMilliseconds(1), $"started {job.StartedAt:O}, created {job.CreatedAt:O}");
        var me = await client.GetFromJsonAsync<MeBody>("/api/v1/me", TestContext.Current.CancellationToken);
        Assert.True(me!.Xp > 0);
        Assert.Equal(await api.WithDbAsync(db => db.Reviews.Where(r => r.UserId == userId).SumAsync(r => r.XpAwarded)), me.Xp);
    }

    [Fact]
    public async Task AJobCreatedClaimedThatTheSweeperHandedOnIsNotRunAgainByItsCreator()
    {
        var scenario = await ScenarioAsync();
        await using var api = scenario.CreateApi("inprocess");
        await api.MigrateAsync();
        var (_, userId) = await api.CreateUserClientAsync();
        var runner = api.Services.GetRequiredService<JobRunner>();

        // Created claimed by api-1 with a lease that ran out, then claimed by another executor before api-1 got to it.
        var job = api.Services.GetRequiredService<TaskDispatcher>().NewJob(TaskNames.AwardXp, userId, new { userId, xp = 7 });
        job.LeaseExpiresAt = DateTime.UtcNow.AddSeconds(-1);
        await api.WithDbAsync(async db =>
        {
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
            return await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(set => set
                .SetProperty(j => j.Attempts, 2).SetProperty(j => j.ExecutedBy, "api-2").SetProperty(j => j.LeaseExpiresAt, DateTime.UtcNow.AddMinutes(5)));
        });
        var outcome = await runner.RunClaimedAsync(job, "api-1", TestContext.Current.CancellationToken);

        var row = await TaskScenario.JobAsync(api, job.Id);
        Assert.Equal(JobRunOutcome.Skipped, outcome);
        Assert.Equal((JobStatus.Running, "api-2", 2), (row.Status, row.ExecutedBy, row.Attempts));
        Assert.Equal(0, await api.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Xp).SingleAsync()));
    }

    private static async Task<Guid> EnqueueRatingsAsync(ApiFactory api) => await EnqueueAsync(api, TaskNames.CalculateAllRatings, null);

    private static async Task<Guid> EnqueueAsync(ApiFactory api, string taskType, object? payload)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LearnApp.Data.LearnAppDbContext>();
        var job = await scope.ServiceProvider.GetRequiredService<TaskDispatcher>().EnqueueAsync(db, taskType, null, payload, CancellationToken.None);
        return job.Id;
    }

    private sealed record JobBody(Guid Id, string Type, string Status, DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, string? ExecutedBy, int Attempts, string? Error);

    private sealed record MeBody(int Xp);
}
