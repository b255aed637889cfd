using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Orchestration.Native;
using Npgsql;

namespace LearnApp.Hosting.Orchestration;

/// <summary>
/// <c>AddPostgres</c> without a container runtime: the machine's PostgreSQL, initdb'ed into a folder of the AppHost's
/// local state, run in the foreground as a child (as user <c>postgres</c> when the AppHost is root).
/// </summary>
internal sealed class NativePostgresRun(PostgresServerResource server, OrchestrationContext context)
    : ResourceRun(server, context, "Container")
{
    // TCP only: a Unix socket path inside a deep data folder can pass the 107-byte limit, and nobody uses it.
    private static readonly Dictionary<string, string> s_keptSettings = new()
    {
        ["unix_socket_directories"] = "",
    };

    // Durability is worth nothing in a throwaway cluster.
    private static readonly Dictionary<string, string> s_throwawaySettings = new(s_keptSettings)
    {
        ["fsync"] = "off",
        ["synchronous_commit"] = "off",
        ["full_page_writes"] = "off",
    };

    private string? _throwawayFolder;

    /// <summary>Why this runs natively rather than as a container, for its source line.</summary>
    public string? WhyNotContainer { get; init; }

    public override void AllocateEndpoints(PortAllocator ports) => BackingServicePorts.Allocate(this, ports);

    protected override async Task StartAsync(CancellationToken stopping)
    {
        var instance = Instances[0];
        PublishAll(s => s with { State = KnownResourceStates.Starting });
        var installation = PostgresInstallation.Find() ?? throw new ResourceStartException(
            $"PostgreSQL was not found: install Debian's 'postgresql' package or set {PostgresInstallation.BinDirectoryVariable} to its bin folder");
        var (folder, persistent) = LocalStateFolders.For(server, Context.Options.LocalStateDirectory);
        _throwawayFolder = persistent ? null : folder;
        var dataDirectory = Path.Combine(folder, "pgdata");
        var password = server.PasswordParameter.Value;
        var source = $"native PostgreSQL ({installation.BinDirectory}), data {(persistent ? "kept in" : "discarded at stop from")} {LocalStateFolders.Display(folder, Context.Options.AppHostDirectory)}{(WhyNotContainer is null ? "" : $"; not a container: {WhyNotContainer}")}";
        Publish(instance, s => s with { Source = source });

        if (!PostgresInstallation.IsInitialized(dataDirectory))
        {
            Log(instance, $"initdb {dataDirectory}");
            await installation.InitializeAsync(dataDirectory, server.UserName, password, stopping);
        }

        var port = instance.Ports[PostgresServerResource.PrimaryEndpointName];
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = server.UserName, Password = password, Database = "postgres",
            Pooling = false, Timeout = 2,
        }.ConnectionString;
        await RunServerProcessAsync(instance,
            installation.CreateServerSpec(dataDirectory, port, persistent ? s_keptSettings : s_throwawaySettings) with { WorkingDirectory = folder },
            port,
            token => HealthProbes.ConnectPostgresAsync(connectionString, () => Publish(instance, s => s with
            {
                Error = $"the data in {folder} was created with another password: set Parameters:{server.PasswordParameter.Name} to that one, or delete the folder (its data is lost)",
            }), token),
            "postgres", stopping);
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
        if (_throwawayFolder is { } folder)
        {
            // A cluster is a few thousand files: deleting them took most of a second of every stop. The AppHost
            // does not wait; if it exits first, the next start removes what is left (its owner PID is gone).
            _ = Task.Run(() => LocalStateFolders.Delete(folder), CancellationToken.None);
        }
    }
}

/// <summary>Backing services listen on their stable port directly: no proxy in front.</summary>
internal static class BackingServicePorts
{
    public static void Allocate(ResourceRun run, PortAllocator ports)
    {
        foreach (var endpoint in run.Resource.GetEndpointAnnotations())
        {
            if (endpoint.Port is { } fixedPort && ports.Reserve(fixedPort, run.Resource.Name, endpoint.Name) is { } error)
            {
                run.PreStartError ??= error;
            }
            var port = endpoint.Port ?? ports.Free();
            endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "127.0.0.1", port, port);
            run.Instances[0].Ports[endpoint.Name] = port;
        }
    }
}
