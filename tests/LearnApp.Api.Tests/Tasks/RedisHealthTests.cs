using System.Net;
using LearnApp.Hosting.Orchestration.Network;
using LearnApp.Testing;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>/health includes Redis where Redis is configured; /alive never does.</summary>
public sealed class RedisHealthTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithRedisAnsweringHealthIsHealthy()
    {
        await using var api = ApiFactory.ForPostgres(await postgres.CreateDatabaseAsync("redis-up"),
            ("ConnectionStrings:cache", redis.ConnectionString), ("TASK_EXECUTOR", "hybrid"));
        using var client = api.CreateClient();

        var (health, alive) = await ProbeAsync(client);

        Assert.Equal((HttpStatusCode.OK, "Healthy"), health);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), alive);
    }

    [Fact]
    public async Task AHybridApiWithoutRedisIsDegradedButStillReadyAndAlive()
    {
        await using var api = ApiFactory.ForPostgres(await postgres.CreateDatabaseAsync("redis-down-hybrid"),
            ("ConnectionStrings:cache", DeadRedis()), ("TASK_EXECUTOR", "hybrid"));
        using var client = api.CreateClient();

        var (health, alive) = await ProbeAsync(client);

        Assert.Equal((HttpStatusCode.OK, "Degraded"), health);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), alive);
    }

    [Fact]
    public async Task AQueueModeApiWithoutRedisIsUnhealthyButAlive()
    {
        await using var api = ApiFactory.ForPostgres(await postgres.CreateDatabaseAsync("redis-down-queue"),
            ("ConnectionStrings:cache", DeadRedis()), ("TASK_EXECUTOR", "queue"));
        using var client = api.CreateClient();

        var (health, alive) = await ProbeAsync(client);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), health);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), alive);
    }

    /// <summary>A loopback port nobody listens on: connection refused, as when Redis is stopped.</summary>
    private static string DeadRedis() => $"127.0.0.1:{FreePort.Pick()}";

    private static async Task<((HttpStatusCode, string) Health, (HttpStatusCode, string) Alive)> ProbeAsync(HttpClient client)
    {
        var health = await client.GetAsync(new Uri("/health", UriKind.Relative), Cancel);
        var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative), Cancel);
        return ((health.StatusCode, await health.Content.ReadAsStringAsync(Cancel)), (alive.StatusCode, await alive.Content.ReadAsStringAsync(Cancel)));
    }
}
