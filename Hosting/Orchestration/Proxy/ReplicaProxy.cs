using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

namespace LearnApp.Hosting.Orchestration.Proxy;

/// <summary>
/// One stable endpoint in front of a resource's replicas, load-balanced round robin by YARP (what Aspire's
/// orchestrator proxy does), so <c>services__api__http__0</c> stays one URL. Only ready replicas get traffic.
/// </summary>
internal sealed class ReplicaProxy : IAsyncDisposable
{
    private const string ClusterId = "replicas";
    private readonly WebApplication _app;
    private readonly InMemoryConfigProvider _config;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _destinations = new(StringComparer.Ordinal);

    private ReplicaProxy(WebApplication app, InMemoryConfigProvider config)
    {
        _app = app;
        _config = config;
    }

    public static async Task<ReplicaProxy> StartAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = ClusterId, Match = new RouteMatch { Path = "{**catch-all}" } }],
            [CreateCluster(new Dictionary<string, string>())]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync(cancellationToken);
        return new ReplicaProxy(app, app.Services.GetRequiredService<InMemoryConfigProvider>());
    }

    /// <summary>Adds or removes a replica from the rotation.</summary>
    public void SetDestination(string instanceId, string? url)
    {
        lock (_lock)
        {
            var changed = url is null ? _destinations.Remove(instanceId) : !_destinations.TryGetValue(instanceId, out var old) || old != url;
            if (url is not null)
            {
                _destinations[instanceId] = url;
            }
            if (changed)
            {
                _config.Update(_config.GetConfig().Routes, [CreateCluster(_destinations)]);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private static ClusterConfig CreateCluster(IReadOnlyDictionary<string, string> destinations) => new()
    {
        ClusterId = ClusterId,
        LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
        Destinations = destinations.ToDictionary(d => d.Key, d => new DestinationConfig { Address = d.Value }, StringComparer.Ordinal),
    };
}
