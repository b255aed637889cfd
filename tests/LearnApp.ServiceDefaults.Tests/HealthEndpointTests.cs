using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace LearnApp.ServiceDefaults.Tests;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task AliveStaysUpWhileAFailingDependencyTurnsHealthTo503()
    {
        await using var service = await TestWebApp.StartAsync(builder =>
            {
                builder.AddServiceDefaults();
                builder.Services.AddHealthChecks().AddCheck("database", () => HealthCheckResult.Unhealthy("database is down"));
            },
            app => app.MapDefaultEndpoints());
        using var client = new HttpClient { BaseAddress = service.Address };

        var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative), TestContext.Current.CancellationToken);
        var health = await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task HealthIsUpWhenEveryCheckPasses()
    {
        await using var service = await TestWebApp.StartAsync(builder => builder.AddServiceDefaults(), app => app.MapDefaultEndpoints());
        using var client = new HttpClient { BaseAddress = service.Address };

        var health = await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
