using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Dashboard;
using LearnApp.Hosting.Dashboard.Telemetry;
using LearnApp.Hosting.Orchestration;
using LearnApp.Hosting.Tests.Orchestration;
using LearnApp.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Hosting.Tests.Dashboard;

/// <summary>The whole path: the orchestrator points the real Api at the dashboard's receiver, which shows its trace.</summary>
[Collection(nameof(OrchestratorTests))]
public sealed class DashboardTelemetryTests
{
    private const string Token = "test-dashboard-token-77c0";
    private const string OtlpKey = "test-otlp-key-a81f2b";

    [Fact]
    public async Task TheApiStartedByTheAppHostExportsItsTraceToTheDashboardWhichShowsItOnlyWithTheToken()
    {
        var database = Path.Combine(TestWorkDirectory.Create("telemetry"), "learnapp.db");
        var builder = OrchestratedApp.CreateBuilder($"--Dashboard:Token={Token}", $"--AppHost:OtlpApiKey={OtlpKey}",
            "--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:0", "--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:0",
            $"--Parameters:jwt-key={new string('k', 64)}");
        var jwtKey = builder.AddParameter("jwt-key", secret: true);
        var migrator = builder.AddProject("migrator", Path.Combine(OrchestratedApp.RepositoryRoot, "Api", "LearnApp.Api.csproj")).WithArgs("migrate")
            .WithEnvironment("ConnectionStrings__sqlite", $"Data Source={database}");
        var api = builder.AddProject("api", Path.Combine(OrchestratedApp.RepositoryRoot, "Api", "LearnApp.Api.csproj"))
            .WithEnvironment("ConnectionStrings__sqlite", $"Data Source={database}")
            .WithEnvironment("Jwt__SigningKey", jwtKey)
            .WaitForCompletion(migrator)
            .WithHttpHealthCheck("/health");
        await using var app = await OrchestratedApp.StartAsync(builder);
        await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("api")), "the Api is healthy", 120);
        var dashboard = app.App.Services.GetRequiredService<DashboardServer>();
        var (grpc, _) = dashboard.OtlpEndpoints!.Value;
        var cancellationToken = TestContext.Current.CancellationToken;

        // Aspire's variables, with the receiver's bound address; the key never shows.
        var environment = app.Single("api").EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal(grpc.ToString().TrimEnd('/'), environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("x-otlp-api-key=********", environment["OTEL_EXPORTER_OTLP_HEADERS"]);
        Assert.Equal("api", environment["OTEL_SERVICE_NAME"]);
        Assert.Equal($"service.instance.id={app.Single("api").InstanceId}", environment["OTEL_RESOURCE_ATTRIBUTES"]);

        using var anonymous = new HttpClient { BaseAddress = new Uri(dashboard.Url!) };
        foreach (var path in new[] { "/api/telemetry/traces", "/api/telemetry/logs", "/api/telemetry/metrics", "/api/telemetry/resources" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path, cancellationToken)).StatusCode);
        }
        using var tool = new HttpClient { BaseAddress = new Uri(dashboard.Url!) };
        tool.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.DoesNotContain(OtlpKey, await tool.GetStringAsync("/api/resources", cancellationToken), StringComparison.Ordinal);

        // A request the Api traces (probes are filtered out), then its server span in the dashboard.
        using var client = new HttpClient { BaseAddress = new Uri(api.Resource.GetEndpoint("http").Url) };
        var marker = $"/api/v1/telemetry-probe-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(marker, cancellationToken)).StatusCode);
        var trace = await PollAsync(async () => (await tool.GetFromJsonAsync<TraceSummary[]>("/api/telemetry/traces?resource=api", cancellationToken))!
            .FirstOrDefault(t => t.RootResource == "api" && t.RootName.StartsWith("GET", StringComparison.Ordinal)
                && Spans(t.TraceId).Result.Any(s => s.Attributes.Any(a => a.Value.Contains(marker, StringComparison.Ordinal)))));
        Assert.Equal(["api"], trace.Resources);
        var detail = await tool.GetFromJsonAsync<TraceDetail>($"/api/telemetry/traces/{trace.TraceId}", cancellationToken);
        Assert.Equal("Server", detail!.Spans[0].Kind);
        Assert.Equal(app.Single("api").InstanceId, detail.Spans[0].InstanceId);
        Assert.Equal(HttpStatusCode.NotFound, (await tool.GetAsync("/api/telemetry/traces/0123456789abcdef0123456789abcdef", cancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await tool.GetAsync("/api/telemetry/logs?level=Loud", cancellationToken)).StatusCode);

        // Its structured logs arrive too (the Api logs at start), named by resource and instance.
        var logs = await PollAsync(async () => (await tool.GetFromJsonAsync<StructuredLogEntry[]>("/api/telemetry/logs?resource=api", cancellationToken)) is { Length: > 0 } l ? l : null);
        Assert.All(logs, l => Assert.Equal(app.Single("api").InstanceId, l.InstanceId));

        async Task<IReadOnlyList<TraceSpan>> Spans(string traceId) =>
            (await tool.GetFromJsonAsync<TraceDetail>($"/api/telemetry/traces/{traceId}", cancellationToken))!.Spans;
    }

    [Fact]
    public async Task BusyOtlpPortsMoveTheReceiverToFreePortsAndTheServicesFollowIt()
    {
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var busyPort = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var builder = OrchestratedApp.CreateBuilder($"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{busyPort}",
            $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:{busyPort}");
        builder.AddProject("backend", OrchestratedApp.TestServiceProject).WithHttpHealthCheck("/health");
        await using var app = await OrchestratedApp.StartAsync(builder);
        await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("backend")), "backend is healthy");

        var (grpc, http) = app.App.Services.GetRequiredService<DashboardServer>().OtlpEndpoints!.Value;
        Assert.NotEqual(busyPort, grpc.Port);
        Assert.NotEqual(busyPort, http.Port);
        var environment = app.Single("backend").EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal($"http://127.0.0.1:{grpc.Port}", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        // A generated key when none is configured, masked like every secret.
        Assert.Equal("x-otlp-api-key=********", environment["OTEL_EXPORTER_OTLP_HEADERS"]);
    }

    /// <summary>Asks again every 200 ms until there is an answer; the exporter sends in batches every few seconds.</summary>
    private static async Task<T> PollAsync<T>(Func<Task<T?>> query, int timeoutSeconds = 90) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            if (await query() is { } answer)
            {
                return answer;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no answer within {timeoutSeconds} s");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
