using System.Globalization;
using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Orchestration.Processes;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace LearnApp.Hosting.Orchestration.Containers;

/// <summary>
/// <c>AddPostgres</c> / <c>AddRedis</c> where a container runtime answers and the image is local: <c>docker run</c>
/// with the port published on 127.0.0.1, the official images' environment, a named volume for <c>WithDataVolume</c>,
/// and labels naming this AppHost. The docker client runs under a small supervisor that stops and removes the
/// container when it is told to stop or when the AppHost dies (PDEATHSIG), so a killed AppHost leaves no container.
/// </summary>
internal sealed class ContainerServerRun(ContainerResource server, OrchestrationContext context, string runtimeDescription)
    : ResourceRun(server, context, "Container")
{
    // Stops the container by name (the image's STOPSIGNAL, then SIGKILL after 2 s) and removes it. A client still
    // between fork and exec loses a signal, so the stop repeats until the client is gone.
    private const string SupervisorScript = """
        name=$1; shift
        running() { { read -r stat < "/proc/$1/stat"; } 2>/dev/null || return 1; stat=${stat##*) }; [ "${stat%% *}" != Z ]; }
        stop() {
          trap "" TERM INT
          client=$!
          docker stop -t 2 "$name" >/dev/null 2>&1
          while [ -n "$client" ] && running "$client"; do docker rm -f -v "$name" >/dev/null 2>&1; kill -TERM "$client" 2>/dev/null; sleep 0.1; done
          wait
          docker rm -f -v "$name" >/dev/null 2>&1
          exit 143
        }
        trap stop TERM INT
        docker run --rm --sig-proxy=false --name "$name" "$@" &
        wait $!
        code=$?
        trap "" TERM INT
        docker rm -f -v "$name" >/dev/null 2>&1
        exit $code
        """;

    public override void AllocateEndpoints(PortAllocator ports) => BackingServicePorts.Allocate(this, ports);

    public override string? CommandsUnsupportedReason => null;

    public override Task StopInstanceAsync(ResourceInstance instance) => StopServerAsync(instance);

    public override Task<string?> StartInstanceAsync(ResourceInstance instance) => StartServerAgainAsync(instance);

    protected override async Task StartAsync(CancellationToken stopping)
    {
        var instance = Instances[0];
        PublishAll(s => s with { State = KnownResourceStates.Starting });
        var image = server.Image!.FullName;
        var port = instance.Ports[Resource.GetEndpointAnnotations().Single().Name];
        var volume = server.Annotations.OfType<ContainerMountAnnotation>().FirstOrDefault(m => m.Type == ContainerMountType.Volume && m.Source is not null);
        Publish(instance, s => s with
        {
            Source = $"container {image} ({runtimeDescription}){(volume is null ? ", data discarded at stop" : $", data in volume {volume.Source}")}",
        });

        var (containerPort, environment, command, probe) = Describe(instance, port, volume?.Source);
        var name = string.Create(CultureInfo.InvariantCulture, $"learnapp-{Resource.Name}-{Environment.ProcessId}");
        List<string> arguments =
        [
            "-c", SupervisorScript, "learnapp-container", name,
            "--label", string.Create(CultureInfo.InvariantCulture, $"{ContainerRuntime.OwnerPidLabel}={Environment.ProcessId}"),
            "--label", $"{ContainerRuntime.ResourceLabel}={Resource.Name}",
            "-p", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}:{containerPort}"),
        ];
        // Values travel in the client's environment, never on its command line (`ps` would show them).
        foreach (var variable in environment.Keys)
        {
            arguments.AddRange(["-e", variable]);
        }
        if (volume is not null)
        {
            arguments.AddRange(["-v", $"{volume.Source}:{volume.Target}{(volume.IsReadOnly ? ":ro" : "")}"]);
        }
        arguments.Add(image);
        arguments.AddRange(command);

        await RunServerProcessAsync(instance, new ProcessSpec("/bin/sh") { Arguments = arguments, Environment = environment },
            port, probe, $"container {name}", stopping);
    }

    public override async Task StopAsync(TimeSpan timeout)
    {
        await StopRequested.CancelAsync();
        if (Instances[0].Process is { } process)
        {
            await process.StopAsync(timeout);
        }
    }

    /// <summary>The official image's conventions for each kind of server, and how to tell that it is ready.</summary>
    private (int ContainerPort, Dictionary<string, string?> Environment, List<string> Command, Func<CancellationToken, Task<HealthStatus>> Probe) Describe(
        ResourceInstance instance, int port, string? volume)
    {
        switch (server)
        {
            case PostgresServerResource postgres:
                var connectionString = new NpgsqlConnectionStringBuilder
                {
                    Host = "127.0.0.1", Port = port, Username = postgres.UserName, Password = postgres.PasswordParameter.Value,
                    Database = "postgres", Pooling = false, Timeout = 2,
                }.ConnectionString;
                return (5432,
                    new() { ["POSTGRES_USER"] = postgres.UserName, ["POSTGRES_PASSWORD"] = postgres.PasswordParameter.Value },
                    [],
                    // The image initialises a volume once, so a volume made with another password refuses this one.
                    token => HealthProbes.ConnectPostgresAsync(connectionString, () => Publish(instance, s => s with
                    {
                        Error = $"the data in volume {volume} was created with another password: set Parameters:{postgres.PasswordParameter.Name} to that one, or remove the volume with 'docker volume rm {volume}' (its data is lost)",
                    }), token));

            case RedisResource redis:
                var password = redis.PasswordParameter.Value;
                // As Aspire does: the password from the environment; redis-server overwrites its own title, so `ps` hides it.
                var save = redis.IsPersistent ? " --save 60 1" : " --save '' --appendonly no";
                return (6379,
                    new() { ["REDIS_PASSWORD"] = password },
                    ["/bin/sh", "-c", $"exec docker-entrypoint.sh redis-server --requirepass \"$REDIS_PASSWORD\"{save}"],
                    token => HealthProbes.PingRedisAsync(port, password, token));

            default:
                throw new ResourceStartException($"{server.GetType().Name} has no container recipe here");
        }
    }
}
