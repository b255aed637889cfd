using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Orchestration;
using LearnApp.Hosting.Orchestration.Processes;
using LearnApp.Testing;
using Npgsql;
using StackExchange.Redis;

namespace LearnApp.Hosting.Tests.Orchestration;

/// <summary>
/// The container path of AddPostgres/AddRedis on a real docker engine with the locally built images
/// (deploy/images/build-base-images.sh, run here when the engine or the images are missing).
/// LEARNAPP_SKIP_CONTAINER_TESTS=1 skips them; CI never sets it.
/// </summary>
[Collection(nameof(OrchestratorTests))]
public sealed class ContainerBackingServiceTests
{
    [Fact]
    public async Task PostgresAndRedisRunAsLabelledContainersKeepVolumeDataAndAreRemovedAtStop()
    {
        await ContainerEngine.EnsureAsync();
        var volume = $"learnapp-test-pg-{Guid.NewGuid():N}"[..32];
        var cancellationToken = TestContext.Current.CancellationToken;
        try
        {
            await using (var app = await StartAsync(volume))
            {
                Assert.StartsWith("container docker.io/library/postgres:17.6", app.Single("postgres").Source, StringComparison.Ordinal);
                Assert.StartsWith("container docker.io/library/redis:8.2", app.Single("cache").Source, StringComparison.Ordinal);
                Assert.Equal(["learnapp-cache-" + Environment.ProcessId, "learnapp-postgres-" + Environment.ProcessId],
                    (await ContainerEngine.OwnedByAsync(Environment.ProcessId)).Order());

                await ExecuteAsync(app, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('across restarts')");
                var cache = (RedisResource)app.App.Model.Resources.Single(r => r.Name == "cache");
                await using var redis = await ConnectionMultiplexer.ConnectAsync((await cache.ConnectionStringExpression.GetValueAsync(cancellationToken))!);
                Assert.True(await redis.GetDatabase().StringSetAsync("k", "v"));
            }
            Assert.Empty(await ContainerEngine.OwnedByAsync(Environment.ProcessId));

            await using (var again = await StartAsync(volume))
            {
                Assert.Equal("across restarts", await ExecuteAsync(again, "SELECT v FROM kept"));
            }
            Assert.Empty(await ContainerEngine.OwnedByAsync(Environment.ProcessId));

            // The volume keeps the password it was made with: another one is an error that names the way out.
            await using (var otherPassword = await StartUnhealthyAsync(volume, "another-container-test-pw"))
            {
                Assert.Contains($"the data in volume {volume} was created with another password", otherPassword.Single("postgres").Error, StringComparison.Ordinal);
                Assert.Contains($"docker volume rm {volume}", otherPassword.Single("postgres").Error, StringComparison.Ordinal);
            }
        }
        finally
        {
            await ProcessRunner.RunToCompletionAsync(new ProcessSpec("docker") { Arguments = ["volume", "rm", "-f", volume] }, CancellationToken.None);
        }
    }

    [Fact]
    public async Task SigkillOfTheAppHostLeavesNoContainerBehind()
    {
        await ContainerEngine.EnsureAsync();
        var localState = TestWorkDirectory.Create("container-teardown");
        await using var host = await AppHostProcess.StartAsync(
            AppHostProcess.BuiltAssembly(Path.Combine("tests", "LearnApp.Hosting.TestAppHost"), "LearnApp.Hosting.TestAppHost"),
            ["--AppHost:BuildProjects=false", "--AppHost:ContainerRuntime=auto", $"--AppHost:LocalStateDirectory={localState}"],
            new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Development" });
        await host.WaitUntilUpAsync();
        Assert.Contains("postgres: container docker.io/library/postgres:17.6", host.Output, StringComparison.Ordinal);
        Assert.Equal(2, (await ContainerEngine.OwnedByAsync(host.Process.Id)).Count);

        host.Process.Signal(UnixSignal.Kill);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await ContainerEngine.OwnedByAsync(host.Process.Id)).Count > 0)
        {
            Assert.False(deadline.IsCancellationRequested, $"containers outlived their killed AppHost:\n{host.Output}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task WithContainersTurnedOffTheServersRunNativelyAndSayWhy()
    {
        var builder = OrchestratedApp.CreateBuilder("--AppHost:ContainerRuntime=none");
        builder.AddRedis("cache");
        await using var app = await OrchestratedApp.StartAsync(builder);

        await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("cache")), "redis is healthy");

        Assert.StartsWith("native redis-server", app.Single("cache").Source, StringComparison.Ordinal);
        Assert.EndsWith("not a container: AppHost:ContainerRuntime is none", app.Single("cache").Source, StringComparison.Ordinal);
    }

    private static async Task<OrchestratedApp> StartAsync(string volume)
    {
        var app = await OrchestratedApp.StartAsync(Builder(volume, "container-test-pw"));
        await app.WaitUntilAsync(a => a.Notifications.GetCurrentSnapshots().All(ResourceNotificationService.IsRunningAndHealthy), "the containers are healthy", 120);
        return app;
    }

    private static async Task<OrchestratedApp> StartUnhealthyAsync(string volume, string password)
    {
        var app = await OrchestratedApp.StartAsync(Builder(volume, password));
        await app.WaitUntilAsync(a => a.Single("postgres").Error is not null, "postgres reports an error", 120);
        return app;
    }

    private static IDistributedApplicationBuilder Builder(string volume, string password)
    {
        var builder = OrchestratedApp.CreateBuilder("--AppHost:ContainerRuntime=auto", $"--Parameters:postgres-password={password}");
        builder.AddPostgres("postgres").WithDataVolume(volume).AddDatabase("db");
        builder.AddRedis("cache");
        return builder;
    }

    private static async Task<object?> ExecuteAsync(OrchestratedApp app, string sql)
    {
        var db = (PostgresDatabaseResource)app.App.Model.Resources.Single(r => r.Name == "db");
        await using var connection = new NpgsqlConnection(await db.ConnectionStringExpression.GetValueAsync(TestContext.Current.CancellationToken));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}

/// <summary>The docker engine and the two images, made ready once per test run.</summary>
internal static class ContainerEngine
{
    private static readonly SemaphoreSlim s_once = new(1, 1);
    private static bool s_ready;

    public static async Task EnsureAsync()
    {
        if (Environment.GetEnvironmentVariable("LEARNAPP_SKIP_CONTAINER_TESTS") == "1")
        {
            Assert.Skip("LEARNAPP_SKIP_CONTAINER_TESTS=1");
        }
        await s_once.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (s_ready)
            {
                return;
            }
            if (!await AnswersWithImagesAsync())
            {
                // Installs docker.io, starts dockerd and builds the images; each step only when missing.
                var script = Path.Combine(OrchestratedApp.RepositoryRoot, "deploy", "images", "build-base-images.sh");
                var build = await ProcessRunner.RunToCompletionAsync(new ProcessSpec("/bin/bash") { Arguments = [script] }, TestContext.Current.CancellationToken);
                Assert.True(build.ExitCode == 0 && await AnswersWithImagesAsync(), $"could not make the docker engine and images ready:\n{build.Output}");
            }
            s_ready = true;
        }
        finally
        {
            s_once.Release();
        }
    }

    /// <summary>The names of the containers (running or not) an AppHost with this PID started.</summary>
    public static async Task<IReadOnlyList<string>> OwnedByAsync(int appHostPid)
    {
        var result = await ProcessRunner.RunToCompletionAsync(new ProcessSpec("docker")
        {
            Arguments = ["ps", "-a", "--filter", $"label=learnapp.apphost.pid={appHostPid}", "--format", "{{.Names}}"],
        }, TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, result.Output);
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task<bool> AnswersWithImagesAsync()
    {
        foreach (string[] arguments in (string[][])[["info"], ["image", "inspect", "docker.io/library/postgres:17.6"], ["image", "inspect", "docker.io/library/redis:8.2"]])
        {
            try
            {
                if ((await ProcessRunner.RunToCompletionAsync(new ProcessSpec("docker") { Arguments = arguments }, TestContext.Current.CancellationToken)).ExitCode != 0)
                {
                    return false;
                }
            }
            catch (InvalidOperationException)
            {
                // docker is not installed.
                return false;
            }
        }
        return true;
    }
}
