using System.Net.Http.Json;
using LearnApp.Api.Tests.Tasks;
using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.Tasks;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Api.Tests.Scheduling;

public sealed class LeaderboardAndImpressionsTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheLeaderboardShowsTheLatestCalculatedRatingsBestFirst()
    {
        var scenario = new TaskScenario(await postgres.CreateDatabaseAsync("leaderboard"), redis.ConnectionString);
        await using var api = scenario.CreateApi("inprocess");
        await api.MigrateAsync();
        var (diligent, diligentId) = await api.CreateUserClientAsync("Diligent");
        var (casual, casualId) = await api.CreateUserClientAsync("Casual");
        var cardId = await TaskScenario.FirstCardAsync(diligent);
        await TaskScenario.FinishedJobAsync(api, await TaskScenario.ReviewAsync(api, diligent, diligentId, cardId, grade: 5));
        await TaskScenario.FinishedJobAsync(api, await TaskScenario.ReviewAsync(api, diligent, diligentId, cardId + 1, grade: 4));
        await TaskScenario.FinishedJobAsync(api, await TaskScenario.ReviewAsync(api, casual, casualId, cardId, grade: 1));

        var before = await diligent.GetFromJsonAsync<List<EntryBody>>("/api/v1/leaderboard", Cancel);
        var job = await TaskScenario.FinishedJobAsync(api, await EnqueueAsync(api, TaskNames.CalculateAllRatings));
        var after = await diligent.GetFromJsonAsync<List<EntryBody>>("/api/v1/leaderboard", Cancel);

        Assert.Empty(before!);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        // Diligent: 19 XP + 2 successful reviews x 20 + 1 streak day x 15; Casual: 1 XP + 0 + 15.
        Assert.Equal([new EntryBody("Diligent", 74, 19), new EntryBody("Casual", 16, 1)], after);
    }

    [Fact]
    public async Task ImpressionsCountedInRedisAreFoldedIntoTheDatabaseExactlyOnce()
    {
        var scenario = new TaskScenario(await postgres.CreateDatabaseAsync("impressions"), redis.ConnectionString);
        await using var api = scenario.CreateApi("inprocess");
        await api.MigrateAsync();
        var (client, _) = await api.CreateUserClientAsync();
        var cache = redis.Connection.GetDatabase();

        for (var i = 0; i < 3; i++)
        {
            await client.GetFromJsonAsync<List<object>>("/api/v1/decks", Cancel);
        }
        await Eventually.ReturnsAsync(async () => (await cache.HashGetAllAsync(scenario.ImpressionsKey)).Sum(e => (long)e.Value), total => total == 6);
        var firstSync = await TaskScenario.FinishedJobAsync(api, await EnqueueAsync(api, TaskNames.SyncImpressionsFromRedis));
        var afterFirst = await CountsAsync(api);
        var emptySync = await TaskScenario.FinishedJobAsync(api, await EnqueueAsync(api, TaskNames.SyncImpressionsFromRedis));
        var afterEmpty = await CountsAsync(api);
        await client.GetFromJsonAsync<List<object>>("/api/v1/decks", Cancel);
        await Eventually.ReturnsAsync(async () => (await cache.HashGetAllAsync(scenario.ImpressionsKey)).Sum(e => (long)e.Value), total => total == 2);
        await TaskScenario.FinishedJobAsync(api, await EnqueueAsync(api, TaskNames.SyncImpressionsFromRedis));
        var afterSecond = await CountsAsync(api);

        Assert.Equal((JobStatus.Succeeded, JobStatus.Succeeded), (firstSync.Status, emptySync.Status));
        Assert.Equal([3L, 3L], afterFirst);
        Assert.Equal([3L, 3L], afterEmpty);
        Assert.Equal([4L, 4L], afterSecond);
    }

    private static Task<List<long>> CountsAsync(ApiFactory api) =>
        api.WithDbAsync(db => db.DeckImpressions.OrderBy(i => i.DeckId).Select(i => i.Count).ToListAsync(Cancel));

    private static async Task<Guid> EnqueueAsync(ApiFactory api, string taskType)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LearnAppDbContext>();
        return (await scope.ServiceProvider.GetRequiredService<TaskDispatcher>().EnqueueAsync(db, taskType, null, null, Cancel)).Id;
    }

    private sealed record EntryBody(string DisplayName, double Rating, int Xp);
}
