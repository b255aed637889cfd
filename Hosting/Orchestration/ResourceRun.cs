using System.Security.Cryptography;
using LearnApp.Hosting.ApplicationModel;
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
}

/// <summary>One instance (replica) of a resource as run mode runs it.</summary>
internal sealed class ResourceInstance(string instanceId, int index)
{
    public string InstanceId { get; } = instanceId;

    public int Index { get; } = index;

    /// <summary>Endpoint name → the port this instance itself listens on.</summary>
    public Dictionary<string, int> Ports { get; } = new(StringComparer.Ordinal);

    public Processes.RunningProcess? Process { get; set; }
}

/// <summary>
/// Runs one resource: waits for what it depends on, starts it, watches it and stops it. Subclasses do the
/// resource-kind specific part; every state change is published as a snapshot.
/// </summary>
internal abstract class ResourceRun(IResource resource, OrchestrationContext context, string resourceType) : IDisposable
{
    /// <summary>Cancelled when the AppHost stops this resource.</summary>
    protected CancellationTokenSource StopRequested { get; } = new();

    public void Dispose() => StopRequested.Dispose();

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
