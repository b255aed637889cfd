using LearnApp.Hosting.Orchestration;

namespace LearnApp.Hosting.Tests.Orchestration;

[Collection(nameof(OrchestratorTests))]
public sealed class HttpsEndpointTests
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task AnHttpsEndpointAnswersPlainHttpInRunModeAndTheResourceSaysSo()
    {
        var builder = OrchestratedApp.CreateBuilder();
        var service = builder.AddProject("service", OrchestratedApp.TestServiceProject)
            .WithHttpsEndpoint()
            .WithHttpHealthCheck("/health", endpointName: "https");
        await using var app = await OrchestratedApp.StartAsync(builder);

        await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("service")), "the service is healthy over its https endpoint");

        var url = service.GetEndpoint("https").Url;
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
        Assert.Equal($"service.instance.id={app.Single("service").InstanceId}", await s_http.GetStringAsync($"{url}/whoami", TestContext.Current.CancellationToken));
        Assert.Contains("served as plain http in run mode", app.Single("service").Source, StringComparison.Ordinal);
    }
}
