using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LearnApp.Hosting.Orchestration;

/// <summary>
/// Holds the latest snapshot of every resource instance and streams each change to watchers: the console reporter
/// today, the dashboard tomorrow. The orchestrator is the only writer.
/// </summary>
public sealed class ResourceNotificationService
{
    private readonly ConcurrentDictionary<string, ResourceSnapshot> _latest = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly List<Channel<ResourceEvent>> _watchers = [];

    public IReadOnlyList<ResourceSnapshot> GetCurrentSnapshots() =>
        [.. _latest.Values.OrderBy(s => s.ResourceName, StringComparer.Ordinal).ThenBy(s => s.ReplicaIndex)];

    public IReadOnlyList<ResourceSnapshot> GetInstances(string resourceName) =>
        [.. _latest.Values.Where(s => s.ResourceName == resourceName).OrderBy(s => s.ReplicaIndex)];

    public ResourceSnapshot GetSnapshot(string instanceId) => _latest[instanceId];

    /// <summary>Applies <paramref name="update"/> to the instance's snapshot and publishes the result.</summary>
    public ResourceSnapshot PublishUpdate(string instanceId, Func<ResourceSnapshot, ResourceSnapshot> update)
    {
        ResourceSnapshot updated;
        Channel<ResourceEvent>[] watchers;
        lock (_lock)
        {
            updated = update(_latest[instanceId]);
            _latest[instanceId] = updated;
            watchers = [.. _watchers];
        }
        foreach (var watcher in watchers)
        {
            watcher.Writer.TryWrite(new ResourceEvent(updated));
        }
        return updated;
    }

    /// <summary>Registers an instance with its first snapshot.</summary>
    public void Add(ResourceSnapshot snapshot)
    {
        Channel<ResourceEvent>[] watchers;
        lock (_lock)
        {
            _latest[snapshot.InstanceId] = snapshot;
            watchers = [.. _watchers];
        }
        foreach (var watcher in watchers)
        {
            watcher.Writer.TryWrite(new ResourceEvent(snapshot));
        }
    }

    /// <summary>Every current snapshot first, then every change, until <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<ResourceEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ResourceEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_lock)
        {
            foreach (var snapshot in GetCurrentSnapshots())
            {
                channel.Writer.TryWrite(new ResourceEvent(snapshot));
            }
            _watchers.Add(channel);
        }
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var resourceEvent))
                {
                    yield return resourceEvent;
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                _watchers.Remove(channel);
            }
        }
    }

    /// <summary>Waits until every instance of the resource matches <paramref name="predicate"/>.</summary>
    public async Task WaitForResourceAsync(string resourceName, Func<ResourceSnapshot, bool> predicate, CancellationToken cancellationToken = default)
    {
        await foreach (var _ in WatchAsync(cancellationToken))
        {
            var instances = GetInstances(resourceName);
            if (instances.Count > 0 && instances.All(predicate))
            {
                return;
            }
        }
    }

    /// <summary>Waits until the resource is Running and Healthy (Aspire's WaitFor).</summary>
    public Task WaitForResourceHealthyAsync(string resourceName, CancellationToken cancellationToken = default) =>
        WaitForResourceAsync(resourceName, IsRunningAndHealthy, cancellationToken);

    public static bool IsRunningAndHealthy(ResourceSnapshot snapshot) =>
        snapshot.State == KnownResourceStates.Running && snapshot.HealthStatus == HealthStatus.Healthy;
}
