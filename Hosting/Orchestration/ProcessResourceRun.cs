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
    private LaunchPlan? _launch;

    /// <summary>How every instance of this resource is started, resolved once.</summary>
    private sealed record LaunchPlan(
        string Executable, List<string> Arguments, string WorkingDirectory, ImmutableArray<string> Urls, IReadOnlyCollection<string> Secrets);

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
        PublishAll(s => s with { State = KnownResourceStates.Starting });
        var launch = await PrepareAsync(stopping);
        foreach (var instance in Instances)
        {
            instance.StopRequested = false;
        }
        await Task.WhenAll(Instances.Select(async instance =>
        {
            var process = await LaunchInstanceAsync(instance, launch, stopping);
            instance.Supervision = SuperviseInstanceAsync(instance, process, stopping);
            await instance.Supervision;
        }));
    }

    public override string? CommandsUnsupportedReason => null;

    public override async Task StopInstanceAsync(ResourceInstance instance)
    {
        if (instance.Process is not { HasExited: false } process)
        {
            return;
        }
        // Out of the proxy's rotation first, so no request reaches a replica that is going away.
        lock (instance.Rotation)
        {
            instance.StopRequested = true;
            SetInRotation(instance, false);
        }
        Publish(instance, s => KnownResourceStates.IsTerminal(s.State) ? s : s with { State = KnownResourceStates.Stopping, HealthStatus = null });
        await process.StopAsync(Context.Options.StopTimeout);
        await instance.Supervision;
    }

    public override async Task<string?> StartInstanceAsync(ResourceInstance instance)
    {
        var stopping = Context.Stopping;
        Publish(instance, Restarting);
        try
        {
            var launch = await PrepareAsync(stopping);
            if (UsesProxy)
            {
                // A fresh private port: the old one may still be in TIME_WAIT; the proxy follows the new one.
                foreach (var endpointName in instance.Ports.Keys.ToList())
                {
                    instance.Ports[endpointName] = Context.Ports.Free();
                }
            }
            instance.StopRequested = false;
            var process = await LaunchInstanceAsync(instance, launch, stopping);
            instance.Supervision = SuperviseInstanceAsync(instance, process, stopping);
            return null;
        }
        catch (Exception ex) when (ex is ResourceStartException or MissingParameterValueException)
        {
            Publish(instance, s => s with { State = KnownResourceStates.FailedToStart, Error = ex.Message, StopTimestamp = DateTimeOffset.UtcNow });
            return ex.Message;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return "the AppHost is stopping";
        }
    }

    /// <summary>
    /// Resolves the command and starts the replica proxies, once: the first start does it, and a start command
    /// does it when the first start never got that far (a dependency had failed).
    /// </summary>
    private async Task<LaunchPlan> PrepareAsync(CancellationToken stopping)
    {
        if (_launch is { } known)
        {
            return known;
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, StopRequested.Token);
        var (executable, baseArguments, workingDirectory) = await ResolveCommandAsync(linked.Token);

        if (UsesProxy && _proxies.Count == 0)
        {
            foreach (var endpoint in Resource.GetEndpointAnnotations().Where(e => e.UriScheme is "http" or "https"))
            {
                var proxy = await StartProxyAsync(endpoint, linked.Token);
                _proxies.Add(proxy);
                _proxyByEndpoint[endpoint.Name] = proxy;
            }
        }

        var urls = Resource.GetEndpointAnnotations().Select(e => e.AllocatedEndpoint!.UriString).ToImmutableArray();
        var https = Resource.GetEndpointAnnotations().Where(e => e.UriScheme == "https").Select(e => $"'{e.Name}'").ToList();
        if (https.Count > 0)
        {
            PublishAll(s => s with { Source = $"https endpoint {string.Join(", ", https)} served as plain http in run mode (no certificates here; the manifest keeps https)" });
        }
        var arguments = new List<string>(baseArguments);
        foreach (var argument in await Resource.GetArgsAsync(Context.ExecutionContext))
        {
            arguments.Add(await ExpressionResolver.ResolveAsync(argument, null, linked.Token) ?? "");
        }

        _launch = new LaunchPlan(executable, arguments, workingDirectory, urls, SecretValues.Collect(Context.Model, Context.Options));
        return _launch;
    }

    // A child inherits the AppHost's environment; the AppHost's own secrets set there (the dashboard token, the OTLP
    // key, parameter values) must not reach it unless the model gives them on purpose.
    private static readonly string[] s_hostSecretPrefixes = ["Dashboard__Token", "AppHost__OtlpApiKey", "Parameters__"];

    private static Dictionary<string, string?> WithoutHostSecrets(Dictionary<string, string> environment)
    {
        var result = environment.ToDictionary(e => e.Key, e => (string?)e.Value);
        foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (!result.ContainsKey(name) && s_hostSecretPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                result[name] = null;
            }
        }
        return result;
    }

    private async Task<RunningProcess> LaunchInstanceAsync(ResourceInstance instance, LaunchPlan launch, CancellationToken stopping)
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
            process = await ProcessRunner.StartAsync(new ProcessSpec(launch.Executable)
            {
                Arguments = launch.Arguments,
                WorkingDirectory = launch.WorkingDirectory,
                // Executables (npm, scripts) start children of their own; a .NET project is one process.
                StopProcessGroup = Resource is ExecutableResource,
                Environment = WithoutHostSecrets(environment),
                OnOutputLine = line => Log(instance, line),
                OnErrorLine = line => Log(instance, line, isError: true),
            }, stopping);
        }
        catch (InvalidOperationException ex)
        {
            throw new ResourceStartException($"'{launch.Executable}' could not be started ({ex.InnerException?.Message ?? ex.Message}): install it or fix the command");
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
            Urls = launch.Urls,
            InstanceUrls = UsesProxy ? [.. instance.Ports.Select(p => $"http://127.0.0.1:{p.Value}")] : [],
            EnvironmentVariables = [.. environment.OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => KeyValuePair.Create(e.Key, SecretValues.Mask(e.Value, launch.Secrets)))],
        });
        return process;
    }

    private async Task SuperviseInstanceAsync(ResourceInstance instance, RunningProcess process, CancellationToken stopping)
    {
        var hasHealthChecks = Resource.GetHttpHealthChecks().Any();
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
            Error = exitCode == 0 || _isStopping || instance.StopRequested
                ? null
                : $"exited with code {exitCode}{(lastLine is null ? "" : $" (last output: {Truncate(lastLine)})")}; see its console log",
        });
    }

    private void OnHealth(ResourceInstance instance, HealthStatus status)
    {
        // A replica joins or leaves the proxy's rotation before its health is announced, so whoever waits for
        // "healthy" finds it answering behind the stable URL (announced first, a test's first request could meet an
        // empty rotation: 503). Only a running replica is in it.
        lock (instance.Rotation)
        {
            if (_isStopping || instance.StopRequested)
            {
                return;
            }
            SetInRotation(instance, status == HealthStatus.Healthy && Context.Notifications.GetSnapshot(instance.InstanceId).State == KnownResourceStates.Running);
        }
        Context.Notifications.PublishUpdate(instance.InstanceId, s => s.State != KnownResourceStates.Running ? s : status == HealthStatus.Healthy
            ? Healthy(s) with { HealthProbeCount = s.HealthProbeCount + 1 }
            : s with { HealthStatus = status, HealthProbeCount = s.HealthProbeCount + 1 });
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
        // A command half-way through a start finishes first, so its process is stopped below too.
        var locked = await CommandLock.WaitAsync(timeout / 2);
        try
        {
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
        finally
        {
            if (locked)
            {
                CommandLock.Release();
            }
        }
    }

    private static string Truncate(string line) => line.Length <= 160 ? line : line[..157] + "...";
}
