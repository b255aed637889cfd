using System.Net;
using System.Net.Http.Json;
using LearnApp.Data.Entities;
using LearnApp.Tasks.InProcess;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>The in-process channel is bounded: when it is full, producers wait; their jobs are durable meanwhile.</summary>
public sealed class InProcessBackPressureTests(PostgresServerFixture postgres)
{
    private const int Capacity = 2;
    // The consumer takes up to MaxJobsTogether jobs from the channel at once: past those and a full channel, 8 producers must wait.
    private const int Reviews = Capacity + InProcessJobConsumer.MaxJobsTogether + 8;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFullChannelMakesProducersWaitWhileTheirJobsAreAlreadyCommittedAndNoneIsLost()
    {
        var database = await postgres.CreateDatabaseAsync("backpressure");
        await using var api = ApiFactory.ForPostgres(database,
            ("TASK_EXECUTOR", "inprocess"),
            ("Tasks:ChannelCapacity", Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Tasks:InProcessConsumers", "1"),
            ("Tasks:StrandedAfter", "00:10:00"));
        await api.MigrateAsync();
        var (client, userId) = await api.CreateUserClientAsync();
        var firstCard = await TaskScenario.FirstCardAsync(client);
        // A first review starts today's streak, so the reviews below leave the user's row to the award_xp jobs.
        await TaskScenario.FinishedJobAsync(api, await TaskScenario.ReviewAsync(api, client, userId, firstCard));
        var channel = api.Services.GetRequiredService<InProcessJobChannel>();

        // The one consumer blocks inside its first award_xp (the XP update waits for this lock), with any it took along.
        var hold = await UserRowLock.AcquireAsync(database, userId, Cancel, allowForeignKeyChecks: true);
        var requests = Enumerable.Range(1, Reviews)
            .Select(i => client.PostAsJsonAsync("/api/v1/study/reviews", new { cardId = firstCard + i, grade = 5 }, Cancel))
            .ToList();

        // Every review commits its job row before handing the id to the channel...
        await Eventually.ReturnsAsync(() => api.WithDbAsync(db => db.Jobs.CountAsync(j => j.UserId == userId, Cancel)), n => n == Reviews + 1);
        // ...and the channel fills up to its capacity, and no further.
        await Eventually.ReturnsAsync(() => Task.FromResult(channel.Count), n => n == Capacity);
        var answeredWhileFull = requests.Count(r => r.IsCompleted);
        var channelWhileFull = channel.Count;

        await hold.RollbackAsync(Cancel);
        var responses = await Task.WhenAll(requests);
        var jobs = await Eventually.ReturnsAsync(
            () => api.WithDbAsync(db => db.Jobs.AsNoTracking().Where(j => j.UserId == userId).ToListAsync(Cancel)),
            all => all.All(j => j.Status is JobStatus.Succeeded or JobStatus.Failed));
        await hold.DisposeAsync();

        Assert.Equal(Capacity, channelWhileFull);
        // At most the jobs in the consumer's hands plus a full channel have been answered; the other producers were waiting.
        Assert.InRange(answeredWhileFull, 0, Capacity + InProcessJobConsumer.MaxJobsTogether);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(Reviews + 1, jobs.Count);
        Assert.All(jobs, j => Assert.Equal(JobStatus.Succeeded, j.Status));
        var xp = await api.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Xp).SingleAsync(Cancel));
        Assert.Equal(10 * (Reviews + 1), xp);
    }
}
