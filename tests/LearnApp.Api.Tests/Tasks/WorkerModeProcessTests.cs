using System.Net;
using LearnApp.Hosting.Orchestration.Network;
using LearnApp.Hosting.Orchestration.Processes;
using LearnApp.Testing;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>
/// The real <c>LearnApp.Api worker</c> executable, as the AppHost, compose and Kubernetes start it: what the separate
/// worker executable did before it became a mode (consuming jobs is covered by the task execution tests).
/// </summary>
public sealed class WorkerModeProcessTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WorkerModeWithRedisServesHealthyHealthAndHeartbeatsUnderItsRoleName()
    {
        var scenario = new TaskScenario(await postgres.CreateDatabaseAsync("workermode"), redis.ConnectionString);
        var port = FreePort.Pick();
        await using var worker = await StartWorkerAsync(scenario, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var (health, alive) = await ProbeAsync(client, worker);
        var beats = await Eventually.ReturnsAsync(
            async () => await redis.Connection.GetDatabase().HashKeysAsync(scenario.Settings["Tasks:WorkersKey"]),
            keys => keys.Length == 1, TimeSpan.FromSeconds(30));

        Assert.Equal((HttpStatusCode.OK, "Healthy"), health);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), alive);
        Assert.StartsWith("worker:", beats[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerModeWithoutRedisAnsweringIsUnhealthyButAlive()
    {
        var scenario = new TaskScenario(await postgres.CreateDatabaseAsync("workermode-down"), $"127.0.0.1:{FreePort.Pick()}");
        var port = FreePort.Pick();
        await using var worker = await StartWorkerAsync(scenario, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var (health, alive) = await ProbeAsync(client, worker);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), health);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), alive);
    }

    [Fact]
    public async Task WorkerModeWithoutARedisConnectionStringRefusesToStart()
    {
        var scenario = new TaskScenario(await postgres.CreateDatabaseAsync("workermode-none"), redisConnectionString: null);

        var result = await ProcessRunner.RunToCompletionAsync(Spec(scenario, FreePort.Pick()), Cancel);

        // Never a worker without a queue: one line that names the setting, and exit code 1 (not a crash).
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("worker cannot start: The worker needs Redis: set ConnectionStrings__cache.", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Output, StringComparison.Ordinal);
        // Nor the host's own "Hosting failed to start" entry with the stack trace before it.
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    private static Task<RunningProcess> StartWorkerAsync(TaskScenario scenario, int port) =>
        ProcessRunner.StartAsync(Spec(scenario, port), Cancel);

    private static ProcessSpec Spec(TaskScenario scenario, int port)
    {
        var environment = scenario.Settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return new ProcessSpec("dotnet")
        {
            Arguments = [typeof(Program).Assembly.Location, "worker"],
            WorkingDirectory = AppContext.BaseDirectory,
            Environment = environment,
        };
    }

    /// <summary>/health and /alive once the worker listens (it takes a moment to start).</summary>
    private static async Task<((HttpStatusCode, string) Health, (HttpStatusCode, string) Alive)> ProbeAsync(HttpClient client, RunningProcess worker)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(worker.HasExited, "the worker exited");
            try
            {
                var health = await client.GetAsync(new Uri("/health", UriKind.Relative), Cancel);
                var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative), Cancel);
                return ((health.StatusCode, await health.Content.ReadAsStringAsync(Cancel)), (alive.StatusCode, await alive.Content.ReadAsStringAsync(Cancel)));
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Cancel);
            }
        }
    }
}
