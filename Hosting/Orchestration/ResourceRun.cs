using System.Globalization;
using System.Security.Cryptography;
using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Orchestration.Processes;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LearnApp.Hosting.Orchestration;

/// <summary>What every resource run shares: the model, settings, the state and log services.</summary>
internal sealed class OrchestrationContext
{
    public required DistributedApplicationModel Model { get; init; }

    public required DistributedApplicationExecutionContext ExecutionContext { get; init; }

    public required OrchestratorOptions Options { get; init; }

    public required ResourceNotificationService Notifications { get; init; }

    public required ResourceLoggerService Logs { get; init; }

    public required string EnvironmentName { get; init; }

    /// <summary>The one build of every project resource, started once before any project runs.</summary>
    public required Lazy<Task<Projects.BuildResult>> Build { get; init; }

    public required IReadOnlyDictionary<IResource, ResourceRun> Runs { get; init; }

    /// <summary>Cancelled when the AppHost stops: ends what commands started, too.</summary>
    public required CancellationToken Stopping { get; init; }

    /// <summary>Hands out ports at start and again when a replica is started anew by a command.</summary>
    public required PortAllocator Ports { get; init; }
}

/// <summary>One instance (replica) of a resource as run mode runs it.</summary>
internal sealed class ResourceInstance(string instanceId, int index)
{
    public string InstanceId { get; } = instanceId;

    public int Index { get; } = index;

    /// <summary>Endpoint name → the port this instance itself listens on.</summary>
    public Dictionary<string, int> Ports { get; } = new(StringComparer.Ordinal);

    public Processes.RunningProcess? Process { get; set; }

    /// <summary>Watches the current process until it ends and publishes how it ended.</summary>
    public Task Supervision { get; set; } = Task.CompletedTask;

    /// <summary>Set while a stop command is ending this instance, so its exit is not reported as a crash.</summary>
    public volatile bool StopRequested;

    /// <summary>
    /// Held while the instance's place in a proxy's rotation is decided, so a health result that arrives as a stop
    /// begins cannot put the stopping instance back in after the stop took it out.
    /// </summary>
    public Lock Rotation { get; } = new();
}

/// <summary>
/// Runs one resource: waits for what it depends on, starts it, watches it and stops it. Subclasses do the
/// resource-kind specific part; every state change is published as a snapshot.
/// </summary>
internal abstract class ResourceRun(IResource resource, OrchestrationContext context, string resourceType) : IDisposable
{
    /// <summary>Cancelled when the AppHost stops this resource.</summary>
    protected CancellationTokenSource StopRequested { get; } = new();

    public void Dispose()
    {
        StopRequested.Dispose();
        CommandLock.Dispose();
    }

    public IResource Resource { get; } = resource;

    public List<ResourceInstance> Instances { get; } = [];

    protected OrchestrationContext Context { get; } = context;

    /// <summary>Set when something (a busy fixed port) already rules out starting.</summary>
    public string? PreStartError { get; set; }

    /// <summary>Creates the instances and publishes NotStarted for each.</summary>
    public virtual void Register()
    {
        var count = InstanceCount;
        for (var i = 0; i < count; i++)
        {
            var id = UsesInstanceSuffix ? $"{Resource.Name}-{RandomSuffix()}" : Resource.Name;
            Instances.Add(new ResourceInstance(id, i));
            Context.Notifications.Add(new ResourceSnapshot
            {
                ResourceName = Resource.Name,
                InstanceId = id,
                ResourceType = resourceType,
                ReplicaIndex = i,
                ReplicaCount = count,
            });
        }
    }

    protected virtual int InstanceCount => 1;

    protected virtual bool UsesInstanceSuffix => false;

    /// <summary>Ports are known before anything starts, so every environment can be resolved.</summary>
    public abstract void AllocateEndpoints(PortAllocator ports);

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            if (PreStartError is not null)
            {
                throw new ResourceStartException(PreStartError);
            }
            await WaitForDependenciesAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        catch (ResourceStartException ex)
        {
            FailAll(ex.Message);
            return;
        }
        await StartReportingFailuresAsync(stopping);
    }

    private async Task StartReportingFailuresAsync(CancellationToken stopping)
    {
        try
        {
            await StartAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ResourceStartException or MissingParameterValueException)
        {
            FailAll(ex.Message);
        }
        catch (Exception ex)
        {
            FailAll($"could not start: {ex.Message}");
        }
    }

    protected abstract Task StartAsync(CancellationToken stopping);

    public abstract Task StopAsync(TimeSpan timeout);

    /// <summary>Serialises the stop/start/restart commands on this resource, and the AppHost's own stop with them.</summary>
    public SemaphoreSlim CommandLock { get; } = new(1, 1);

    /// <summary>Why this resource has no stop/start/restart commands; null when it has them.</summary>
    public virtual string? CommandsUnsupportedReason => $"{resourceType} resources have no stop/start commands";

    /// <summary>Stops one running instance (the command, not the AppHost's shutdown): Stopping, then Exited or Finished.</summary>
    public virtual Task StopInstanceAsync(ResourceInstance instance) => throw new NotSupportedException(CommandsUnsupportedReason);

    /// <summary>Starts one stopped instance again: Starting, then Running. Returns why it could not, or null.</summary>
    public virtual Task<string?> StartInstanceAsync(ResourceInstance instance) => throw new NotSupportedException(CommandsUnsupportedReason);

    /// <summary>
    /// Stop and start for a resource that runs as one server process (PostgreSQL, Redis): the stop ends the process
    /// and keeps its data folder; the start runs the whole start again, as at AppHost start but without waiting.
    /// </summary>
    protected async Task StopServerAsync(ResourceInstance instance)
    {
        if (instance.Process is not { HasExited: false } process)
        {
            return;
        }
        instance.StopRequested = true;
        Publish(instance, s => KnownResourceStates.IsTerminal(s.State) ? s : s with { State = KnownResourceStates.Stopping, HealthStatus = null });
        await process.StopAsync(Context.Options.StopTimeout);
        await WaitForInstanceAsync(instance, s => KnownResourceStates.IsTerminal(s.State));
    }

    /// <inheritdoc cref="StopServerAsync"/>
    protected async Task<string?> StartServerAgainAsync(ResourceInstance instance)
    {
        instance.StopRequested = false;
        Publish(instance, Restarting);
        _ = Task.Run(() => StartReportingFailuresAsync(Context.Stopping), CancellationToken.None);
        await WaitForInstanceAsync(instance, s => s.State == KnownResourceStates.Running || KnownResourceStates.IsTerminal(s.State));
        var snapshot = Context.Notifications.GetSnapshot(instance.InstanceId);
        return snapshot.State == KnownResourceStates.Running ? null : snapshot.Error ?? $"it ended as {snapshot.State}";
    }

    private async Task WaitForInstanceAsync(ResourceInstance instance, Func<ResourceSnapshot, bool> condition)
    {
        await foreach (var _ in Context.Notifications.WatchAsync(Context.Stopping))
        {
            if (condition(Context.Notifications.GetSnapshot(instance.InstanceId)))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Runs one server process (PostgreSQL or Redis, native or a container's client) until it exits: Running and
    /// Unhealthy until <paramref name="probe"/> answers Healthy, then Finished when it ends with 0 or was stopped by
    /// us, else Exited with an error naming <paramref name="serverName"/>. An error the probe published stays until it
    /// is healthy.
    /// </summary>
    protected async Task RunServerProcessAsync(ResourceInstance instance, ProcessSpec spec, int port,
        Func<CancellationToken, Task<HealthStatus>> probe, string serverName, CancellationToken stopping)
    {
        var process = await ProcessRunner.StartAsync(spec with
        {
            OnOutputLine = line => Log(instance, line),
            OnErrorLine = line => Log(instance, line, isError: true),
        }, stopping);
        instance.Process = process;
        Publish(instance, s => s with
        {
            State = KnownResourceStates.Running,
            ProcessId = process.Id,
            StartTimestamp = DateTimeOffset.UtcNow,
            HealthStatus = HealthStatus.Unhealthy,
            Urls = [string.Create(CultureInfo.InvariantCulture, $"tcp://127.0.0.1:{port}")],
        });

        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(stopping, StopRequested.Token);
        var health = HealthProbes.PollAsync(probe, status => Publish(instance, s => s.State != KnownResourceStates.Running ? s
            : status == HealthStatus.Healthy ? Healthy(s) with { Error = null }
            : s with { HealthStatus = status }), lifetime.Token);

        var exitCode = await process.Exited;
        var stoppedByUs = StopRequested.IsCancellationRequested || instance.StopRequested;
        await lifetime.CancelAsync();
        await health;
        Publish(instance, s => s with
        {
            State = exitCode == 0 || stoppedByUs ? KnownResourceStates.Finished : KnownResourceStates.Exited,
            ExitCode = exitCode,
            HealthStatus = null,
            StopTimestamp = DateTimeOffset.UtcNow,
            Error = stoppedByUs ? s.Error : s.Error ?? $"{serverName} exited with code {exitCode}; see its console log",
        });
    }

    /// <summary>What a snapshot of an instance started again looks like before it runs: no trace of the last run.</summary>
    protected static ResourceSnapshot Restarting(ResourceSnapshot snapshot) => snapshot with
    {
        State = KnownResourceStates.Starting,
        ExitCode = null,
        Error = null,
        ProcessId = null,
        HealthStatus = null,
        StopTimestamp = null,
        HealthyTimestamp = null,
        HealthProbeCount = 0,
    };

    protected void Publish(ResourceInstance instance, Func<ResourceSnapshot, ResourceSnapshot> update) =>
        Context.Notifications.PublishUpdate(instance.InstanceId, update);

    protected void PublishAll(Func<ResourceSnapshot, ResourceSnapshot> update)
    {
        foreach (var instance in Instances)
        {
            Publish(instance, update);
        }
    }

    protected void FailAll(string error) => PublishAll(s => KnownResourceStates.IsTerminal(s.State) ? s : s with
    {
        State = KnownResourceStates.FailedToStart,
        Error = error,
        HealthStatus = null,
        StopTimestamp = DateTimeOffset.UtcNow,
    });

    protected void Log(ResourceInstance instance, string line, bool isError = false)
    {
        Context.Logs.Write(instance.InstanceId, line, isError);
        if (Context.Options.ShowLogs)
        {
            Console.WriteLine($"[{instance.InstanceId}] {line}");
        }
    }

    protected static ResourceSnapshot Healthy(ResourceSnapshot snapshot) => snapshot with
    {
        State = KnownResourceStates.Running,
        HealthStatus = HealthStatus.Healthy,
        HealthyTimestamp = snapshot.HealthStatus == HealthStatus.Healthy ? snapshot.HealthyTimestamp : DateTimeOffset.UtcNow,
    };

    private async Task WaitForDependenciesAsync(CancellationToken stopping)
    {
        var waits = Resource.GetWaits().Where(w => Context.Runs.ContainsKey(w.Resource)).ToList();
        if (waits.Count == 0)
        {
            return;
        }
        PublishAll(s => s with { State = KnownResourceStates.Waiting });
        foreach (var wait in waits)
        {
            await WaitForAsync(wait, stopping);
        }
    }

    private async Task WaitForAsync(WaitAnnotation wait, CancellationToken stopping)
    {
        var name = wait.Resource.Name;
        await foreach (var _ in Context.Notifications.WatchAsync(stopping))
        {
            var instances = Context.Notifications.GetInstances(name);
            if (wait.WaitType == WaitType.WaitUntilHealthy)
            {
                if (instances.All(ResourceNotificationService.IsRunningAndHealthy))
                {
                    return;
                }
                if (instances.FirstOrDefault(i => KnownResourceStates.IsTerminal(i.State)) is { } ended)
                {
                    throw new ResourceStartException(
                        $"not started: '{name}' it waits for is {Describe(ended)} instead of healthy; fix '{name}' first");
                }
            }
            else if (instances.All(i => KnownResourceStates.IsTerminal(i.State)))
            {
                if (instances.FirstOrDefault(i => i.State == KnownResourceStates.FailedToStart || i.ExitCode != wait.ExitCode) is { } failed)
                {
                    throw new ResourceStartException(
                        $"not started: '{name}' it waits for ended {Describe(failed)}, expected exit code {wait.ExitCode}; fix '{name}' first");
                }
                return;
            }
        }
    }

    private static string Describe(ResourceSnapshot snapshot) =>
        snapshot.ExitCode is { } code ? $"{snapshot.State} (exit code {code})" : snapshot.State;

    private static string RandomSuffix() => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 8);
}
