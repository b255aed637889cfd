using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Orchestration;

namespace LearnApp.Hosting.Dashboard;

public sealed record EnvironmentVariableView(string Name, string Value);

public sealed record WaitView(string Resource, string Type);

/// <summary>One resource instance as the dashboard's API shows it.</summary>
public sealed record ResourceView(
    string Name,
    string InstanceId,
    string Type,
    string State,
    string? Health,
    DateTimeOffset? StartTime,
    DateTimeOffset? StopTime,
    int? ExitCode,
    int? ProcessId,
    int ReplicaIndex,
    int ReplicaCount,
    IReadOnlyList<string> Urls,
    IReadOnlyList<string> InstanceUrls,
    IReadOnlyList<EnvironmentVariableView> Environment,
    IReadOnlyList<string> References,
    IReadOnlyList<WaitView> WaitsFor,
    string? Source,
    string? Error);

/// <summary>Joins the orchestrator's snapshots (state) with the app model (relationships).</summary>
internal sealed class ResourceViewFactory(DistributedApplicationModel model)
{
    private readonly Dictionary<string, IResource> _resources = model.Resources.ToDictionary(r => r.Name, StringComparer.Ordinal);

    public ResourceView Create(ResourceSnapshot s)
    {
        var annotations = _resources.TryGetValue(s.ResourceName, out var resource) ? resource.Annotations : [];
        return new ResourceView(
            s.ResourceName,
            s.InstanceId,
            s.ResourceType,
            s.State,
            s.HealthStatus?.ToString(),
            s.StartTimestamp,
            s.StopTimestamp,
            s.ExitCode,
            s.ProcessId,
            s.ReplicaIndex,
            s.ReplicaCount,
            [.. s.Urls],
            [.. s.InstanceUrls],
            // Snapshots already carry secret values masked.
            [.. s.EnvironmentVariables.Select(e => new EnvironmentVariableView(e.Key, e.Value))],
            [.. annotations.OfType<ResourceRelationshipAnnotation>()
                .Where(r => r.Type == ResourceRelationshipAnnotation.ReferenceType)
                .Select(r => r.Resource.Name).Distinct(StringComparer.Ordinal)],
            [.. annotations.OfType<WaitAnnotation>().Select(w => new WaitView(w.Resource.Name,
                w.WaitType == WaitType.WaitForCompletion ? "Completion" : "Healthy"))],
            s.Source,
            s.Error);
    }
}
