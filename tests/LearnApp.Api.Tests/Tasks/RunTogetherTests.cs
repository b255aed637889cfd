using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using LearnApp.Data.Entities;
using LearnApp.ServiceDefaults;
using LearnApp.Tasks;
using LearnApp.Tasks.Execution;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>
/// Light jobs that pile up in the in-process channel run together: one round trip on PostgreSQL, each job's
/// statement its own transaction, so each job's outcome is its own.
/// </summary>
public sealed class RunTogetherTests(PostgresServerFixture postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task JobsRunTogetherEachGetTheirOwnOutcomeAndOnlyTheSucceededAwardXp()
    {
        var finished = new List<Activity>();
        using var listener = ListenForJobSpans(finished);
        await using var api = ApiFactory.ForPostgres(await postgres.CreateDatabaseAsync("together"), ("TASK_EXECUTOR", "inprocess"));
        await api.MigrateAsync();
        var (_, first) = await api.CreateUserClientAsync();
        var (_, nearMax) = await api.CreateUserClientAsync();
        var (_, last) = await api.CreateUserClientAsync();
        var (_, expired) = await api.CreateUserClientAsync();
        // 10 more XP would overflow this user's integer column: that job's statement fails in PostgreSQL.
        await api.WithDbAsync(db => db.Users.Where(u => u.Id == nearMax).ExecuteUpdateAsync(set => set.SetProperty(u => u.Xp, int.MaxValue - 5), Cancel));

        var dispatcher = api.Services.GetRequiredService<TaskDispatcher>();
        Job Award(Guid owner, Guid userId, int xp)
        {
            // Each job comes from a request of its own, as a review's does.
            using var request = new Activity("review").Start();
            return dispatcher.NewJob(TaskNames.AwardXp, owner, new { userId, xp });
        }
        var jobs = new[] { Award(first, first, 7), Award(first, Guid.NewGuid(), 5), Award(nearMax, nearMax, 10), Award(last, last, 3), Award(expired, expired, 2) };
        // The last one waited past its lease: it renews the lease and runs alone.
        jobs[4].LeaseExpiresAt = DateTime.UtcNow.AddSeconds(-1);
        await api.WithDbAsync(async db =>
        {
            db.Jobs.AddRange(jobs);
            return await db.SaveChangesAsync(Cancel);
        });

        var executor = api.Services.GetRequiredService<ExecutorIdentity>().Name;
        var outcomes = await api.Services.GetRequiredService<JobRunner>().RunClaimedTogetherAsync(jobs, executor, Cancel);

        Assert.Equal([JobRunOutcome.Succeeded, JobRunOutcome.Failed, JobRunOutcome.RetryLater, JobRunOutcome.Succeeded, JobRunOutcome.Succeeded], outcomes);
        var xp = await api.WithDbAsync(db => db.Users.ToDictionaryAsync(u => u.Id, u => u.Xp, Cancel));
        Assert.Equal((7, int.MaxValue - 5, 3, 2), (xp[first], xp[nearMax], xp[last], xp[expired]));
        var rows = await api.WithDbAsync(db => db.Jobs.AsNoTracking().ToDictionaryAsync(j => j.Id, Cancel));
        Assert.All(new[] { jobs[0], jobs[3], jobs[4] }, job => Assert.Equal((JobStatus.Succeeded, executor, 1, (string?)null), (rows[job.Id].Status, rows[job.Id].ExecutedBy, rows[job.Id].Attempts, rows[job.Id].Error)));
        Assert.Equal("{\"xp\":7}", rows[jobs[0].Id].Result);
        Assert.Equal(JobStatus.Failed, rows[jobs[1].Id].Status);
        Assert.Contains("does not exist", rows[jobs[1].Id].Error, StringComparison.Ordinal);
        // A database error leaves the job for another attempt, with the error kept and the XP not awarded.
        Assert.Equal((JobStatus.Queued, 1), (rows[jobs[2].Id].Status, rows[jobs[2].Id].Attempts));
        Assert.Contains("out of range", rows[jobs[2].Id].Error, StringComparison.Ordinal);

        // The four whose lease held went in one batch; each span joined its own job's trace.
        var spans = JobSpans(finished, jobs);
        Assert.Equal([4, 4, 4, 4, null], jobs.Select(j => spans[j.Id].GetTagItem("learnapp.job.batch_size") as int?));
        Assert.All(jobs, j => Assert.Equal(ActivityContext.Parse(j.TraceParent!, null).TraceId, spans[j.Id].TraceId));
    }

    [Fact]
    public async Task AJobWithNoneToGoTogetherWithRunsAlone()
    {
        var finished = new List<Activity>();
        using var listener = ListenForJobSpans(finished);
        await using var api = ApiFactory.ForPostgres(await postgres.CreateDatabaseAsync("together"), ("TASK_EXECUTOR", "inprocess"));
        await api.MigrateAsync();
        var (_, userId) = await api.CreateUserClientAsync();
        var dispatcher = api.Services.GetRequiredService<TaskDispatcher>();
        var jobs = new[] { dispatcher.NewJob(TaskNames.AwardXp, userId, new { userId, xp = 4 }), dispatcher.NewJob(TaskNames.AwardXp, userId, new { userId, xp = 6 }) };
        // Only the first could go in a batch: the second waited past its lease.
        jobs[1].LeaseExpiresAt = DateTime.UtcNow.AddSeconds(-1);
        await api.WithDbAsync(async db =>
        {
            db.Jobs.AddRange(jobs);
            return await db.SaveChangesAsync(Cancel);
        });

        var outcomes = await api.Services.GetRequiredService<JobRunner>().RunClaimedTogetherAsync(jobs, api.Services.GetRequiredService<ExecutorIdentity>().Name, Cancel);

        Assert.Equal([JobRunOutcome.Succeeded, JobRunOutcome.Succeeded], outcomes);
        Assert.Equal(10, await api.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Xp).SingleAsync(Cancel)));
        var spans = JobSpans(finished, jobs);
        Assert.Equal(2, spans.Count);
        Assert.All(spans.Values, span => Assert.Null(span.GetTagItem("learnapp.job.batch_size")));
    }

    [Fact]
    public async Task ReviewsWhoseJobsPiledUpAwardTheirXpOnceEachThroughTheChannel()
    {
        const int Reviews = 24;
        var finished = new List<Activity>();
        using var listener = ListenForJobSpans(finished);
        var database = await postgres.CreateDatabaseAsync("together");
        await using var api = ApiFactory.ForPostgres(database, ("TASK_EXECUTOR", "inprocess"), ("Tasks:InProcessConsumers", "1"));
        await api.MigrateAsync();
        var (client, userId) = await api.CreateUserClientAsync();
        var firstCard = await TaskScenario.FirstCardAsync(client);
        // A first review starts today's streak, so the reviews below leave the user's row to the award_xp jobs.
        await TaskScenario.FinishedJobAsync(api, await TaskScenario.ReviewAsync(api, client, userId, firstCard));

        // The consumer blocks in its next job until the hold goes; the reviews' jobs pile up in the channel meanwhile.
        var hold = await UserRowLock.AcquireAsync(database, userId, Cancel, allowForeignKeyChecks: true);
        var responses = await Task.WhenAll(Enumerable.Range(1, Reviews)
            .Select(i => client.PostAsJsonAsync("/api/v1/study/reviews", new { cardId = firstCard + i, grade = 5 }, Cancel)));
        await hold.RollbackAsync(Cancel);
        var jobs = await Eventually.ReturnsAsync(
            () => api.WithDbAsync(db => db.Jobs.AsNoTracking().Where(j => j.UserId == userId).ToListAsync(Cancel)),
            all => all.All(j => j.Status is JobStatus.Succeeded or JobStatus.Failed));
        await hold.DisposeAsync();

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(Reviews + 1, jobs.Count);
        Assert.All(jobs, j => Assert.Equal((JobStatus.Succeeded, 1), (j.Status, j.Attempts)));
        var xp = await api.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Xp).SingleAsync(Cancel));
        Assert.Equal(10 * (Reviews + 1), xp);
        // Past the one the consumer was blocked in, the rest ran together, no more than the bound at a time.
        var batchSizes = JobSpans(finished, [.. jobs]).Values.Select(a => a.GetTagItem("learnapp.job.batch_size") as int? ?? 1).ToList();
        Assert.Contains(batchSizes, size => size > 1);
        Assert.All(batchSizes, size => Assert.InRange(size, 1, LearnApp.Tasks.InProcess.InProcessJobConsumer.MaxJobsTogether));
    }

    private static ActivityListener ListenForJobSpans(List<Activity> finished)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == LearnAppTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (finished) { finished.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <summary>Each job's execution span (another test's spans may be in the list too: the source is process-wide).</summary>
    private static Dictionary<Guid, Activity> JobSpans(List<Activity> finished, IReadOnlyList<Job> jobs)
    {
        var ids = jobs.Select(j => j.Id).ToHashSet();
        lock (finished)
        {
            return finished.Where(a => a.GetTagItem("learnapp.job.id") is Guid id && ids.Contains(id))
                .ToDictionary(a => (Guid)a.GetTagItem("learnapp.job.id")!);
        }
    }
}
