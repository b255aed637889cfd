using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

namespace LearnApp.Bench.Api;

/// <summary>
/// The scaled topology's front door: YARP round robin over the Api replicas, as the AppHost's replica proxy does,
/// so the bench pays the same extra hop the real stack pays.
/// </summary>
internal sealed class ReplicaBalancer(WebApplication app) : IAsyncDisposable
{
    public static async Task<ReplicaBalancer> StartAsync(int port, IEnumerable<Uri> replicas)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "api", Match = new RouteMatch { Path = "{**catch-all}" } }],
            [new ClusterConfig
            {
                ClusterId = "api",
                LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                Destinations = replicas.Select((uri, i) => (uri, i)).ToDictionary(r => $"api-{r.i}", r => new DestinationConfig { Address = r.uri.ToString() }),
            }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        return new ReplicaBalancer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
