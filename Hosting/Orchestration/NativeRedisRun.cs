using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Orchestration.Native;

namespace LearnApp.Hosting.Orchestration;

/// <summary><c>AddRedis</c> without a container runtime: the machine's <c>redis-server</c> as a child process.</summary>
internal sealed class NativeRedisRun(RedisResource redis, OrchestrationContext context)
    : ResourceRun(redis, context, "Container")
{
    private string? _throwawayFolder;

    /// <summary>Why this runs natively rather than as a container, for its source line.</summary>
    public string? WhyNotContainer { get; init; }

    public override void AllocateEndpoints(PortAllocator ports) => BackingServicePorts.Allocate(this, ports);

    protected override async Task StartAsync(CancellationToken stopping)
    {
        var instance = Instances[0];
        PublishAll(s => s with { State = KnownResourceStates.Starting });
        var installation = RedisInstallation.Find() ?? throw new ResourceStartException(
            $"redis-server was not found: install Debian's 'redis-server' package or set {RedisInstallation.ServerPathVariable} to its path");
        var (folder, persistent) = LocalStateFolders.For(redis, Context.Options.LocalStateDirectory);
        _throwawayFolder = persistent ? null : folder;
        var password = redis.PasswordParameter.Value;
        var source = $"native redis-server ({installation.ServerPath}), data {(persistent ? "kept in" : "discarded at stop from")} {LocalStateFolders.Display(folder, Context.Options.AppHostDirectory)}{(WhyNotContainer is null ? "" : $"; not a container: {WhyNotContainer}")}";
        Publish(instance, s => s with { Source = source });

        var port = instance.Ports[RedisResource.PrimaryEndpointName];
        await RunServerProcessAsync(instance, installation.CreateServerSpec(port, folder, persistent, password) with { WorkingDirectory = folder }, port,
            token => HealthProbes.PingRedisAsync(port, password, token),
            "redis-server", stopping);
    }

    public override string? CommandsUnsupportedReason => null;

    public override Task StopInstanceAsync(ResourceInstance instance) => StopServerAsync(instance);

    public override Task<string?> StartInstanceAsync(ResourceInstance instance) => StartServerAgainAsync(instance);

    public override async Task StopAsync(TimeSpan timeout)
    {
        await StopRequested.CancelAsync();
        if (Instances[0].Process is { } process)
        {
            await process.StopAsync(timeout);
        }
        if (_throwawayFolder is not null)
        {
            LocalStateFolders.Delete(_throwawayFolder);
        }
    }
}
