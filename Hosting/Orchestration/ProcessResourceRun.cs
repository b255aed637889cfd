using System.Collections.Immutable;
using System.Globalization;
using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Orchestration.Processes;
using LearnApp.Hosting.Orchestration.Projects;
using LearnApp.Hosting.Orchestration.Proxy;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LearnApp.Hosting.Orchestration;

/// <summary>
/// A project or an executable: one process per replica, each on a private port behind a YARP proxy when there
/// are several, with its environment resolved from the model plus the OpenTelemetry variables Aspire sets.
/// </summary>
internal sealed class ProcessResourceRun(IResource resource, OrchestrationContext context)
    : ResourceRun(resource, context, resource is ProjectResource ? "Project" : "Executable")
{
    private readonly List<ReplicaProxy> _proxies = [];
    private readonly Dictionary<string, ReplicaProxy> _proxyByEndpoint = new(StringComparer.Ordinal);
    private volatile bool _isStopping;

    protected override int InstanceCount => Resource.GetReplicaCount();

    protected override bool UsesInstanceSuffix => true;

    private bool UsesProxy => InstanceCount > 1;

    public override void AllocateEndpoints(PortAllocator ports)
    {
        foreach (var endpoint in Resource.GetEndpointAnnotations())
        {
            var fixedPort = endpoint.Port ?? (UsesProxy ? null : endpoint.TargetPort);
            if (fixedPort is { } port && ports.Reserve(port, Resource.Name, endpoint.Name) is { } error)
            {
                PreStartError ??= error;
            }
            var stablePort = fixedPort ?? ports.Free();
            endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "127.0.0.1", stablePort, stablePort);
            foreach (var instance in Instances)
            {
                instance.Ports[endpoint.Name] = UsesProxy ? ports.Free() : stablePort;
            }
        }
    }

    protected override async Task StartAsync(CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, StopRequested.Token);
        PublishAll(s => s with { State = KnownResourceStates.Starting });
        var (executable, baseArguments, workingDirectory) = await ResolveCommandAsync(linked.Token);

        if (UsesProxy)
        {
            foreach (var endpoint in Resource.GetEndpointAnnotations().Where(e => e.UriScheme is "http" or "https"))
            {
                var proxy = await StartProxyAsync(endpoint, linked.Token);
                _proxies.Add(proxy);
                _proxyByEndpoint[endpoint.Name] = proxy;
            }
        }

        var urls = Resource.GetEndpointAnnotations().Select(e => e.AllocatedEndpoint!.UriString).ToImmutableArray();
        var arguments = new List<string>(baseArguments);
        foreach (var argument in await Resource.GetArgsAsync(Context.ExecutionContext))
        {
            arguments.Add(await ExpressionResolver.ResolveAsync(argument, null, linked.Token) ?? "");
        }

        var secrets = SecretValues.Collect(Context.Model, Context.Options);
        await Task.WhenAll(Instances.Select(instance => StartInstanceAsync(instance, executable, arguments, workingDirectory, urls, secrets, linked.Token)));
    }

    private async Task StartInstanceAsync(
        ResourceInstance instance, string executable, List<string> arguments, string workingDirectory,
        ImmutableArray<string> urls, IReadOnlyCollection<string> secrets, CancellationToken stopping)
    {
        var environment = await Resource.GetEnvironmentValuesAsync(Context.ExecutionContext,
            expression => ReferenceEquals(expression.Endpoint.Resource, Resource) && expression.Property == EndpointProperty.TargetPort
                ? instance.Ports[expression.Endpoint.EndpointName].ToString(CultureInfo.InvariantCulture)
                : null,
            stopping);
        AddOpenTelemetryEnvironment(environment, instance);

        RunningProcess process;
        try
        {
            process = await ProcessRunner.StartAsync(new ProcessSpec(executable)
            {
                Arguments = arguments,
                WorkingDirectory = workingDirectory,
                // Executables (npm, scripts) start children of their own; a .NET project is one process.
                StopProcessGroup = Resource is ExecutableResource,
                Environment = environment.ToDictionary(e => e.Key, e => (string?)e.Value),
                OnOutputLine = line => Log(instance, line),
                OnErrorLine = line => Log(instance, line, isError: true),
            }, stopping);
        }
        catch (InvalidOperationException ex)
        {
            throw new ResourceStartException($"'{executable}' could not be started ({ex.InnerException?.Message ?? ex.Message}): install it or fix the command");
        }

        instance.Process = process;
        var hasHealthChecks = Resource.GetHttpHealthChecks().Any();
        Publish(instance, s => s with
        {
            State = KnownResourceStates.Running,
            ProcessId = process.Id,
            StartTimestamp = DateTimeOffset.UtcNow,
            HealthStatus = hasHealthChecks ? HealthStatus.Unhealthy : HealthStatus.Healthy,
            HealthyTimestamp = hasHealthChecks ? null : DateTimeOffset.UtcNow,
            Urls = urls,
            InstanceUrls = UsesProxy ? [.. instance.Ports.Select(p => $"http://127.0.0.1:{p.Value}")] : [],
            EnvironmentVariables = [.. environment.OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => KeyValuePair.Create(e.Key, SecretValues.Mask(e.Value, secrets)))],
        });

        using var instanceLifetime = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var health = hasHealthChecks
            ? Task.Run(() => HealthProbes.ProbeHttpAsync(Resource, instance, status => OnHealth(instance, status), instanceLifetime.Token), CancellationToken.None)
            : Task.CompletedTask;
        if (!hasHealthChecks)
        {
            SetInRotation(instance, true);
        }

        var exitCode = await process.Exited;
        await instanceLifetime.CancelAsync();
        await health.ContinueWith(_ => { }, TaskScheduler.Default);
        SetInRotation(instance, false);

        var lastLine = Context.Logs.GetLines(instance.InstanceId).LastOrDefault(l => l.Content.Trim().Length > 0)?.Content.Trim();
        Publish(instance, s => s with
        {
            State = exitCode == 0 ? KnownResourceStates.Finished : KnownResourceStates.Exited,
            ExitCode = exitCode,
            HealthStatus = null,
            StopTimestamp = DateTimeOffset.UtcNow,
            Error = exitCode == 0 || _isStopping
                ? null
                : $"exited with code {exitCode}{(lastLine is null ? "" : $" (last output: {Truncate(lastLine)})")}; see its console log",
        });
    }

    private void OnHealth(ResourceInstance instance, HealthStatus status)
    {
        if (_isStopping)
        {
            return;
        }
        var snapshot = Context.Notifications.PublishUpdate(instance.InstanceId, s => s.State != KnownResourceStates.Running ? s : status == HealthStatus.Healthy
            ? Healthy(s) with { HealthProbeCount = s.HealthProbeCount + 1 }
            : s with { HealthStatus = status, HealthProbeCount = s.HealthProbeCount + 1 });
        SetInRotation(instance, snapshot.HealthStatus == HealthStatus.Healthy);
    }

    private void SetInRotation(ResourceInstance instance, bool inRotation)
    {
        foreach (var (endpointName, proxy) in _proxyByEndpoint)
        {
            proxy.SetDestination(instance.InstanceId, inRotation ? $"http://127.0.0.1:{instance.Ports[endpointName]}" : null);
        }
    }

    private async Task<(string Executable, List<string> Arguments, string WorkingDirectory)> ResolveCommandAsync(CancellationToken stopping)
    {
        switch (Resource)
        {
            case ProjectResource project:
                if (!File.Exists(project.ProjectPath))
                {
                    throw new ResourceStartException($"project file {project.ProjectPath} does not exist: fix the path in the AppHost");
                }
                var build = await Context.Build.Value.WaitAsync(stopping);
                if (build.Errors.TryGetValue(project.ProjectPath, out var buildError))
                {
                    throw new ResourceStartException($"build failed: {buildError}; run 'dotnet build {project.ProjectPath}' to see every error");
                }
                if (!build.Assemblies.TryGetValue(project.ProjectPath, out var assembly) || !File.Exists(assembly))
                {
                    throw new ResourceStartException($"the build produced no assembly for {project.ProjectPath}: is it an executable project?");
                }
                return (DotnetHost.Path, [assembly], Path.GetDirectoryName(project.ProjectPath)!);

            case NodeAppResource node:
                await NodeTooling.PrepareAsync(node, line => Log(Instances[0], line), stopping);
                return (node.Command, [], node.WorkingDirectory);

            case ExecutableResource executable:
                if (!Directory.Exists(executable.WorkingDirectory))
                {
                    throw new ResourceStartException($"working directory {executable.WorkingDirectory} does not exist: fix the path in the AppHost");
                }
                return (executable.Command, [], executable.WorkingDirectory);

            default:
                throw new ResourceStartException($"{Resource.GetType().Name} cannot run as a process");
        }
    }

    private static async Task<ReplicaProxy> StartProxyAsync(EndpointAnnotation endpoint, CancellationToken stopping)
    {
        try
        {
            return await ReplicaProxy.StartAsync(endpoint.AllocatedEndpoint!.Port, stopping);
        }
        catch (IOException ex)
        {
            throw new ResourceStartException($"the proxy for endpoint '{endpoint.Name}' could not listen on port {endpoint.AllocatedEndpoint!.Port} ({ex.Message}): free the port or change it");
        }
    }

    /// <summary>What Aspire (through DCP) gives every process it starts, so telemetry reaches the dashboard.</summary>
    private void AddOpenTelemetryEnvironment(Dictionary<string, string> environment, ResourceInstance instance)
    {
        var options = Context.Options;
        environment.TryAdd("OTEL_SERVICE_NAME", Resource.Name);
        environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instance.InstanceId}";
        if (options.OtlpEndpointUrl is { } endpoint)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = options.OtlpProtocol;
            if (options.OtlpApiKey is { Length: > 0 } key)
            {
                environment["OTEL_EXPORTER_OTLP_HEADERS"] = $"x-otlp-api-key={key}";
            }
        }
        if (string.Equals(Context.EnvironmentName, "Development", StringComparison.OrdinalIgnoreCase))
        {
            // Short export intervals so the dashboard shows telemetry at once.
            environment.TryAdd("OTEL_BLRP_SCHEDULE_DELAY", "1000");
            environment.TryAdd("OTEL_BSP_SCHEDULE_DELAY", "1000");
            environment.TryAdd("OTEL_METRIC_EXPORT_INTERVAL", "1000");
            environment.TryAdd("OTEL_TRACES_SAMPLER", "always_on");
            environment.TryAdd("OTEL_METRICS_EXEMPLAR_FILTER", "trace_based");
        }
    }

    public override async Task StopAsync(TimeSpan timeout)
    {
        _isStopping = true;
        await StopRequested.CancelAsync();
        var running = Instances.Where(i => i.Process is { HasExited: false }).ToList();
        foreach (var instance in running)
        {
            Publish(instance, s => KnownResourceStates.IsTerminal(s.State) ? s : s with { State = KnownResourceStates.Stopping });
        }
        await Task.WhenAll(running.Select(i => i.Process!.StopAsync(timeout)));
        foreach (var proxy in _proxies)
        {
            await proxy.DisposeAsync();
        }
        PublishAll(s => s.State is KnownResourceStates.NotStarted or KnownResourceStates.Waiting or KnownResourceStates.Starting
            ? s with { State = KnownResourceStates.Exited, StopTimestamp = DateTimeOffset.UtcNow }
            : s);
    }

    private static string Truncate(string line) => line.Length <= 160 ? line : line[..157] + "...";
}
