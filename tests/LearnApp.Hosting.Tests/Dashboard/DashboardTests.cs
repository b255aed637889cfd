using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LearnApp.Hosting.Dashboard;
using LearnApp.Hosting.Orchestration;
using LearnApp.Hosting.Tests.Orchestration;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Hosting.Tests.Dashboard;

[Collection(nameof(OrchestratorTests))]
public sealed class DashboardTests
{
    private const string Token = "test-dashboard-token-5f3a";
    private const string SecretValue = "s3cr3t-signing-key-value-0123456789";

    [Fact]
    public async Task TheApiRefusesRequestsWithoutTheTokenAndShowsResourcesLogsAndMaskedSecretsWithIt()
    {
        var builder = OrchestratedApp.CreateBuilder($"--Dashboard:Token={Token}", $"--Parameters:jwt-key={SecretValue}");
        var jwtKey = builder.AddParameter("jwt-key", secret: true);
        var backend = builder.AddProject("backend", OrchestratedApp.TestServiceProject).WithHttpHealthCheck("/health");
        builder.AddProject("frontend", OrchestratedApp.TestServiceProject)
            .WithEnvironment("Jwt__SigningKey", jwtKey)
            .WithReference(backend)
            .WaitFor(backend)
            .WithHttpHealthCheck("/health");
        await using var app = await OrchestratedApp.StartAsync(builder);
        await app.WaitUntilAsync(a => a.Notifications.GetCurrentSnapshots().All(ResourceNotificationService.IsRunningAndHealthy), "both are healthy");
        var dashboard = app.App.Services.GetRequiredService<DashboardServer>();
        Assert.NotNull(dashboard.Url);
        var cancellationToken = TestContext.Current.CancellationToken;

        using var anonymous = new HttpClient { BaseAddress = new Uri(dashboard.Url) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/resources", cancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/resources/frontend/logs", cancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/login?t=wrong-token", cancellationToken)).StatusCode);

        // The browser way: the login link sets a cookie, which opens the API.
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(dashboard.Url) };
        var login = await browser.GetAsync(new Uri(dashboard.LoginUrl), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("<title>LearnApp dashboard</title>", await login.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);

        var resources = await browser.GetFromJsonAsync<ResourceView[]>("/api/resources", cancellationToken);
        Assert.NotNull(resources);
        Assert.Equal(["backend", "frontend"], resources.Select(r => r.Name).Order());
        Assert.All(resources, r => Assert.Equal(("Running", "Healthy"), (r.State, r.Health)));
        var frontend = resources.Single(r => r.Name == "frontend");
        Assert.Equal(["backend", "jwt-key"], frontend.References.Order());
        Assert.Equal([new WaitView("backend", "Healthy")], frontend.WaitsFor);
        Assert.NotNull(frontend.StartTime);
        Assert.Equal("********", Assert.Single(frontend.Environment, e => e.Name == "Jwt__SigningKey").Value);
        var rawJson = await browser.GetStringAsync("/api/resources", cancellationToken);
        Assert.DoesNotContain(SecretValue, rawJson, StringComparison.Ordinal);

        // The tool way: a bearer token.
        using var tool = new HttpClient { BaseAddress = new Uri(dashboard.Url) };
        tool.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var logs = await tool.GetFromJsonAsync<ConsoleLogsView[]>("/api/resources/frontend/logs?search=STARTED&tail=5", cancellationToken);
        var only = Assert.Single(Assert.IsType<ConsoleLogsView[]>(logs));
        Assert.Equal(frontend.InstanceId, only.InstanceId);
        Assert.Contains(only.Lines, l => l.Content == "test service started");
        Assert.Equal(HttpStatusCode.NotFound, (await tool.GetAsync("/api/resources/nobody/logs", cancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await tool.GetAsync("/api/resources/frontend/logs?replica=7", cancellationToken)).StatusCode);
    }

    [Fact]
    public async Task TheStreamSendsEverySnapshotAsAServerSentEvent()
    {
        var builder = OrchestratedApp.CreateBuilder($"--Dashboard:Token={Token}");
        builder.AddProject("backend", OrchestratedApp.TestServiceProject).WithHttpHealthCheck("/health");
        await using var app = await OrchestratedApp.StartAsync(builder);
        await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("backend")), "backend is healthy");
        var dashboard = app.App.Services.GetRequiredService<DashboardServer>();
        var cancellationToken = TestContext.Current.CancellationToken;

        using var tool = new HttpClient { BaseAddress = new Uri(dashboard.Url!) };
        tool.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await tool.GetAsync("/api/resources/stream", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        Assert.Equal("event: resource", await reader.ReadLineAsync(cancellationToken));
        var data = await reader.ReadLineAsync(cancellationToken);
        Assert.StartsWith("data: {", data, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"backend\"", data, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"Running\"", data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResourceCommandsNeedTheTokenAndAnswerProblemDetailsForUnknownNamesAndWrongStates()
    {
        var builder = OrchestratedApp.CreateBuilder($"--Dashboard:Token={Token}");
        builder.AddProject("backend", OrchestratedApp.TestServiceProject).WithReplicas(2).WithHttpHealthCheck("/health");
        await using var app = await OrchestratedApp.StartAsync(builder);
        await app.WaitUntilAsync(a => a.Notifications.GetInstances("backend").All(ResourceNotificationService.IsRunningAndHealthy), "backend is healthy");
        var dashboard = app.App.Services.GetRequiredService<DashboardServer>();
        var cancellationToken = TestContext.Current.CancellationToken;
        var firstPids = app.Notifications.GetInstances("backend").Select(i => i.ProcessId).ToList();

        using var anonymous = new HttpClient { BaseAddress = new Uri(dashboard.Url!) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/resources/backend/stop", null, cancellationToken)).StatusCode);
        Assert.Equal(firstPids, app.Notifications.GetInstances("backend").Select(i => i.ProcessId));
        Assert.All(app.Notifications.GetInstances("backend"), i => Assert.Equal(KnownResourceStates.Running, i.State));

        using var tool = new HttpClient { BaseAddress = new Uri(dashboard.Url!) };
        tool.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var stop = await tool.PostAsync("/api/resources/backend/stop?replica=1", null, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        var stopped = await stop.Content.ReadFromJsonAsync<ResourceCommandView>(cancellationToken);
        Assert.Equal(["Running", "Finished"], stopped!.Instances.OrderBy(i => i.ReplicaIndex).Select(i => i.State));

        await AssertProblemAsync(await tool.PostAsync("/api/resources/backend/stop?replica=1", null, cancellationToken), HttpStatusCode.Conflict, "Invalid state");
        await AssertProblemAsync(await tool.PostAsync("/api/resources/nobody/stop", null, cancellationToken), HttpStatusCode.NotFound, "Unknown resource");
        await AssertProblemAsync(await tool.PostAsync("/api/resources/backend/explode", null, cancellationToken), HttpStatusCode.NotFound, "Unknown command");
        await AssertProblemAsync(await tool.PostAsync("/api/resources/backend/start?replica=5", null, cancellationToken), HttpStatusCode.BadRequest, "Unknown replica");

        var restart = await tool.PostAsync("/api/resources/backend/restart", null, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        await app.WaitUntilAsync(a => a.Notifications.GetInstances("backend").All(ResourceNotificationService.IsRunningAndHealthy), "both replicas are healthy again");
        Assert.DoesNotContain(app.Notifications.GetInstances("backend"), i => firstPids.Contains(i.ProcessId));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task AnOpenResourceStreamEndsWhenTheAppStopsInsteadOfHoldingTheStop()
    {
        var builder = OrchestratedApp.CreateBuilder($"--Dashboard:Token={Token}");
        builder.AddProject("backend", OrchestratedApp.TestServiceProject).WithHttpHealthCheck("/health");
        var app = await OrchestratedApp.StartAsync(builder);
        await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("backend")), "backend is healthy");
        var dashboard = app.App.Services.GetRequiredService<DashboardServer>();
        var cancellationToken = TestContext.Current.CancellationToken;
        using var tool = new HttpClient { BaseAddress = new Uri(dashboard.Url!), Timeout = Timeout.InfiniteTimeSpan };
        tool.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await tool.GetAsync("/api/resources/stream", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        Assert.Equal("event: resource", await reader.ReadLineAsync(cancellationToken));

        var stopping = app.DisposeAsync().AsTask();

        // The server ends the stream (end of stream, or the connection cut), well before the host's 10 s stop timeout.
        var drained = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadLineAsync(cancellationToken) is not null)
                {
                }
            }
            catch (IOException)
            {
            }
        }, cancellationToken);
        await drained.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        await stopping.WaitAsync(TimeSpan.FromSeconds(8), cancellationToken);
    }

    [Fact]
    public async Task ABusyDashboardPortLeavesTheAppRunningWithoutTheDashboard()
    {
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var busyPort = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var builder = OrchestratedApp.CreateBuilder($"--Dashboard:Port={busyPort}");
        builder.AddProject("backend", OrchestratedApp.TestServiceProject).WithHttpHealthCheck("/health");
        await using var app = await OrchestratedApp.StartAsync(builder);

        await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("backend")), "backend is healthy");

        Assert.Null(app.App.Services.GetRequiredService<DashboardServer>().Url);
    }
}
