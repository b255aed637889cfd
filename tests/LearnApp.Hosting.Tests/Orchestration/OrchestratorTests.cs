using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Orchestration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace LearnApp.Hosting.Tests.Orchestration;

// One at a time: each test runs several real processes on a shared 2-core machine.
[Collection(nameof(OrchestratorTests))]
public sealed class OrchestratorTests
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task ReplicasBehindTheProxyAllReceiveRequestsAtOneStableUrl()
    {
        var builder = OrchestratedApp.CreateBuilder();
        var service = builder.AddProject("service", OrchestratedApp.TestServiceProject).WithReplicas(3).WithHttpHealthCheck("/health");
        await using var app = await OrchestratedApp.StartAsync(builder);

        await app.WaitUntilAsync(a => a.Notifications.GetInstances("service").All(ResourceNotificationService.IsRunningAndHealthy), "3 replicas are healthy");
        var url = service.Resource.GetEndpoint("http").Url;
        var answeredBy = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            answeredBy.Add(await s_http.GetStringAsync($"{url}/whoami", TestContext.Current.CancellationToken));
        }

        var instances = app.Notifications.GetInstances("service");
        Assert.Equal(3, instances.Count);
        Assert.Equal(instances.Select(i => $"service.instance.id={i.InstanceId}").Order(), answeredBy.Order());
        Assert.Equal(3, instances.Select(i => i.ProcessId).Distinct().Count());
        Assert.All(instances, i => Assert.Equal([url], i.Urls));
    }

    [Fact]
    public async Task WaitForStartsTheDependentOnlyOnceItsDependencyIsHealthy()
    {
        var builder = OrchestratedApp.CreateBuilder();
        var slow = builder.AddProject("slow", OrchestratedApp.TestServiceProject)
            .WithEnvironment("TESTSERVICE_HEALTHY", "after:1500").WithHttpHealthCheck("/health");
        builder.AddProject("dependent", OrchestratedApp.TestServiceProject).WaitFor(slow);
        var dependentStates = new List<string>();
        await using var app = await OrchestratedApp.StartAsync(builder);
        using var watching = new CancellationTokenSource();
        var recorder = Task.Run(async () =>
        {
            await foreach (var e in app.Notifications.WatchAsync(watching.Token))
            {
                if (e.Snapshot.ResourceName == "dependent")
                {
                    lock (dependentStates) { dependentStates.Add(e.Snapshot.State); }
                }
            }
        }, CancellationToken.None);

        await app.WaitUntilAsync(a => a.Single("dependent").State == KnownResourceStates.Running, "the dependent runs");
        await watching.CancelAsync();
        await recorder.ContinueWith(_ => { }, TaskScheduler.Default);

        var slowSnapshot = app.Single("slow");
        var dependent = app.Single("dependent");
        Assert.True(slowSnapshot.HealthProbeCount > 1, "the dependency was probed unhealthy before it became healthy");
        Assert.NotNull(slowSnapshot.HealthyTimestamp);
        Assert.True(dependent.StartTimestamp >= slowSnapshot.HealthyTimestamp,
            $"dependent started {dependent.StartTimestamp:O}, before its dependency was healthy {slowSnapshot.HealthyTimestamp:O}");
        lock (dependentStates)
        {
            Assert.Contains(KnownResourceStates.Waiting, dependentStates);
        }
    }

    [Fact]
    public async Task AnUnhealthyDependencyKeepsItsDependentWaiting()
    {
        var builder = OrchestratedApp.CreateBuilder();
        var sick = builder.AddProject("sick", OrchestratedApp.TestServiceProject)
            .WithEnvironment("TESTSERVICE_HEALTHY", "never").WithHttpHealthCheck("/health");
        builder.AddProject("dependent", OrchestratedApp.TestServiceProject).WaitFor(sick);
        await using var app = await OrchestratedApp.StartAsync(builder);

        await app.WaitUntilAsync(a => a.Single("sick").HealthProbeCount >= 5, "the sick service failed 5 health probes");

        var sickSnapshot = app.Single("sick");
        var dependent = app.Single("dependent");
        Assert.Equal((KnownResourceStates.Running, HealthStatus.Unhealthy), (sickSnapshot.State, sickSnapshot.HealthStatus));
        Assert.Equal(KnownResourceStates.Waiting, dependent.State);
        Assert.Null(dependent.ProcessId);
    }

    [Fact]
    public async Task ACrashingResourceEndsExitedWithItsCodeAndTheRestKeepsRunning()
    {
        var builder = OrchestratedApp.CreateBuilder();
        builder.AddExecutable("crasher", "/bin/sh", ".", "-c", "echo 'boom: no config' >&2; exit 3");
        builder.AddProject("steady", OrchestratedApp.TestServiceProject).WithHttpHealthCheck("/health");
        await using var app = await OrchestratedApp.StartAsync(builder);

        await app.WaitUntilAsync(a => KnownResourceStates.IsTerminal(a.Single("crasher").State)
            && ResourceNotificationService.IsRunningAndHealthy(a.Single("steady")), "the crasher ended and steady is healthy");

        var crasher = app.Single("crasher");
        Assert.Equal(KnownResourceStates.Exited, crasher.State);
        Assert.Equal(3, crasher.ExitCode);
        Assert.Contains("exited with code 3", crasher.Error, StringComparison.Ordinal);
        Assert.Contains("boom: no config", crasher.Error, StringComparison.Ordinal);
        Assert.Contains(app.Logs.GetLines(crasher.InstanceId), l => l.IsErrorMessage && l.Content == "boom: no config");
    }

    [Fact]
    public async Task WaitForCompletionStartsAfterASuccessfulExitAndNeverAfterAFailedOne()
    {
        var builder = OrchestratedApp.CreateBuilder();
        var migrator = builder.AddProject("migrator", OrchestratedApp.TestServiceProject).WithArgs("exit", "0");
        var broken = builder.AddProject("broken-migrator", OrchestratedApp.TestServiceProject).WithArgs("exit", "2");
        builder.AddProject("api", OrchestratedApp.TestServiceProject).WaitForCompletion(migrator).WithHttpHealthCheck("/health");
        builder.AddProject("stuck", OrchestratedApp.TestServiceProject).WaitForCompletion(broken);
        await using var app = await OrchestratedApp.StartAsync(builder);

        await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("api"))
            && KnownResourceStates.IsTerminal(a.Single("stuck").State), "api is up and stuck gave up");

        Assert.Equal((KnownResourceStates.Finished, 0), (app.Single("migrator").State, app.Single("migrator").ExitCode));
        Assert.True(app.Single("api").StartTimestamp >= app.Single("migrator").StopTimestamp);
        var stuck = app.Single("stuck");
        Assert.Equal(KnownResourceStates.FailedToStart, stuck.State);
        Assert.Contains("'broken-migrator'", stuck.Error, StringComparison.Ordinal);
        Assert.Null(stuck.ProcessId);
    }

    [Fact]
    public async Task ReferencesReachTheProcessAsWorkingConnectionStringsAndServiceUrls()
    {
        var builder = OrchestratedApp.CreateBuilder(
            "--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:4317", "--AppHost:OtlpApiKey=test-otlp-key");
        var postgres = builder.AddPostgres("postgres");
        var db = postgres.AddDatabase("db");
        var cache = builder.AddRedis("cache");
        var backend = builder.AddProject("backend", OrchestratedApp.TestServiceProject).WithHttpHealthCheck("/health");
        var service = builder.AddProject("service", OrchestratedApp.TestServiceProject)
            .WithReference(db).WithReference(cache).WithReference(backend)
            .WaitFor(db).WaitFor(cache).WaitFor(backend)
            .WithHttpHealthCheck("/health");
        await using var app = await OrchestratedApp.StartAsync(builder);

        await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("service")), "service is up");
        var url = service.Resource.GetEndpoint("http").Url;
        async Task<string> Env(string name) => await s_http.GetStringAsync($"{url}/env/{name}", TestContext.Current.CancellationToken);

        await using (var connection = new NpgsqlConnection(await Env("ConnectionStrings__db")))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal("db", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(await Env("ConnectionStrings__cache")))
        {
            await redis.GetDatabase().PingAsync();
        }
        Assert.Equal(backend.Resource.GetEndpoint("http").Url, await Env("services__backend__http__0"));
        Assert.Equal("service", await Env("OTEL_SERVICE_NAME"));
        Assert.Equal($"service.instance.id={app.Single("service").InstanceId}", await Env("OTEL_RESOURCE_ATTRIBUTES"));
        Assert.Equal("http://127.0.0.1:4317", await Env("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal("grpc", await Env("OTEL_EXPORTER_OTLP_PROTOCOL"));
        Assert.Equal("x-otlp-api-key=test-otlp-key", await Env("OTEL_EXPORTER_OTLP_HEADERS"));
        Assert.DoesNotContain(app.Single("service").EnvironmentVariables,
            e => e.Key == "ConnectionStrings__db" && e.Value.Contains(postgres.Resource.PasswordParameter.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServicesInheritTheAppHostsEnvironmentButNotItsSecrets()
    {
        // Set in this process, which hosts the orchestrator: what a developer exports before `dotnet run`.
        Environment.SetEnvironmentVariable("Dashboard__Token", "host-dashboard-token");
        Environment.SetEnvironmentVariable("Parameters__jwt-key", "host-parameter-value");
        Environment.SetEnvironmentVariable("LEARNAPP_TEST_INHERITED", "plain");
        try
        {
            var builder = OrchestratedApp.CreateBuilder();
            var service = builder.AddProject("service", OrchestratedApp.TestServiceProject).WithHttpHealthCheck("/health");
            await using var app = await OrchestratedApp.StartAsync(builder);
            await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("service")), "service is up");
            var url = service.Resource.GetEndpoint("http").Url;
            async Task<HttpResponseMessage> Env(string name) => await s_http.GetAsync($"{url}/env/{name}", TestContext.Current.CancellationToken);

            Assert.Equal("plain", await (await Env("LEARNAPP_TEST_INHERITED")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Env("Dashboard__Token")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Env("Parameters__jwt-key")).StatusCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Dashboard__Token", null);
            Environment.SetEnvironmentVariable("Parameters__jwt-key", null);
            Environment.SetEnvironmentVariable("LEARNAPP_TEST_INHERITED", null);
        }
    }
}
