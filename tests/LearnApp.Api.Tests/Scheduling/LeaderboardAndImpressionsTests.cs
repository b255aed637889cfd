using System.Net.Http.Json;
using LearnApp.Api.Tests.Tasks;
using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.Tasks;
using LearnApp.Tasks.Handlers;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Api.Tests.Scheduling;

public sealed class LeaderboardAndImpressionsTests(PostgresServerFixture postgres, RedisServerFixture redis) : IAsyncDisposable
{
    private readonly List<string> _sqliteDirectories = [];
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task TheLeaderboardShowsTheLatestCalculatedRatingsBestFirst(string provider)
    {
        await using var api = (await ScenarioAsync(provider, "leaderboard")).CreateApi("inprocess");
        await api.MigrateAsync();
        var (diligent, diligentId) = await api.CreateUserClientAsync("Diligent");
        var (casual, casualId) = await api.CreateUserClientAsync("Casual");
        var (lapsed, lapsedId) = await api.CreateUserClientAsync("Lapsed");
        var cardId = await TaskScenario.FirstCardAsync(diligent);
        await TaskScenario.FinishedJobAsync(api, await TaskScenario.ReviewAsync(api, diligent, diligentId, cardId, grade: 5));
        await TaskScenario.FinishedJobAsync(api, await TaskScenario.ReviewAsync(api, diligent, diligentId, cardId + 1, grade: 4));
        await TaskScenario.FinishedJobAsync(api, await TaskScenario.ReviewAsync(api, casual, casualId, cardId, grade: 1));
        await TaskScenario.FinishedJobAsync(api, await TaskScenario.ReviewAsync(api, lapsed, lapsedId, cardId, grade: 5));
        // Lapsed's success is older than the 30-day window, and so is its streak: only its XP counts.
        var longAgo = DateTime.UtcNow - CalculateAllRatingsHandler.RecentWindow - TimeSpan.FromDays(1);
        await api.WithDbAsync(async db =>
        {
            await db.Reviews.Where(r => r.UserId == lapsedId).ExecuteUpdateAsync(set => set.SetProperty(r => r.ReviewedAt, longAgo), Cancel);
            return await db.Users.Where(u => u.Id == lapsedId).ExecuteUpdateAsync(set => set.SetProperty(u => u.StreakDays, 0), Cancel);
        });

        var before = await diligent.GetFromJsonAsync<List<EntryBody>>("/api/v1/leaderboard", Cancel);
        var first = await TaskScenario.FinishedJobAsync(api, await EnqueueAsync(api, TaskNames.CalculateAllRatings));
        await TaskScenario.FinishedJobAsync(api, await TaskScenario.ReviewAsync(api, casual, casualId, cardId + 1, grade: 3));
        var second = await TaskScenario.FinishedJobAsync(api, await EnqueueAsync(api, TaskNames.CalculateAllRatings));
        var after = await diligent.GetFromJsonAsync<List<EntryBody>>("/api/v1/leaderboard", Cancel);

        Assert.Empty(before!);
        Assert.Equal((JobStatus.Succeeded, JobStatus.Succeeded), (first.Status, second.Status));
        Assert.Equal("""{"users":3}""", second.Result);
        // Diligent: 19 XP + 2 successful reviews x 20 + 1 streak day x 15; Casual, after the second run replaced the
        // first: 1 + 8 XP + 1 success x 20 + 15; Lapsed: 10 XP only.
        Assert.Equal([new EntryBody("Diligent", 74, 19), new EntryBody("Casual", 44, 9), new EntryBody("Lapsed", 10, 10)], after);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task ImpressionsCountedInRedisAreFoldedIntoTheDatabaseExactlyOnce(string provider)
    {
        var scenario = await ScenarioAsync(provider, "impressions");
        await using var api = scenario.CreateApi("inprocess");
        await api.MigrateAsync();
        var impressionsKey = scenario.ImpressionsKey;
        var (client, _) = await api.CreateUserClientAsync();
        var cache = redis.Connection.GetDatabase();

        for (var i = 0; i < 3; i++)
        {
            await client.GetFromJsonAsync<List<object>>("/api/v1/decks", Cancel);
        }
        await Eventually.ReturnsAsync(async () => (await cache.HashGetAllAsync(impressionsKey)).Sum(e => (long)e.Value), total => total == 6);
        // A counter of a deck that no longer exists is dropped, and the rest still fold.
        await cache.HashIncrementAsync(impressionsKey, "999999", 5);
        var firstSync = await TaskScenario.FinishedJobAsync(api, await EnqueueAsync(api, TaskNames.SyncImpressionsFromRedis));
        var afterFirst = await CountsAsync(api);
        var emptySync = await TaskScenario.FinishedJobAsync(api, await EnqueueAsync(api, TaskNames.SyncImpressionsFromRedis));
        var afterEmpty = await CountsAsync(api);
        await client.GetFromJsonAsync<List<object>>("/api/v1/decks", Cancel);
        await Eventually.ReturnsAsync(async () => (await cache.HashGetAllAsync(impressionsKey)).Sum(e => (long)e.Value), total => total == 2);
        await TaskScenario.FinishedJobAsync(api, await EnqueueAsync(api, TaskNames.SyncImpressionsFromRedis));
        var afterSecond = await CountsAsync(api);

        Assert.Equal((JobStatus.Succeeded, JobStatus.Succeeded), (firstSync.Status, emptySync.Status));
        Assert.Equal("""{"decks":2,"impressions":11}""", firstSync.Result);
        Assert.Equal([3L, 3L], afterFirst);
        Assert.Equal([3L, 3L], afterEmpty);
        Assert.Equal([4L, 4L], afterSecond);
    }

    /// <summary>The test's task settings on the provider's own database, with this test's Redis keys.</summary>
    private async Task<TaskScenario> ScenarioAsync(string provider, string name) => provider == "postgres"
        ? new TaskScenario(await postgres.CreateDatabaseAsync(name), redis.ConnectionString)
        : new TaskScenario(null, redis.ConnectionString).With("ConnectionStrings:sqlite", $"Data Source={Path.Combine(SqliteDirectory(name), "learnapp.db")};Pooling=false");

    private string SqliteDirectory(string name)
    {
        var directory = TestWorkDirectory.Create($"sqlite-{name}");
        _sqliteDirectories.Add(directory);
        return directory;
    }

    public ValueTask DisposeAsync()
    {
        // The Api (disposed by each test) opened the file unpooled, so nothing holds it any more.
        _sqliteDirectories.ForEach(TestWorkDirectory.Delete);
        return ValueTask.CompletedTask;
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
