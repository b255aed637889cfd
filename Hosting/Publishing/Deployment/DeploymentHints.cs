using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting.Publishing.Deployment;

/// <summary>What the app model knows and an Aspire manifest cannot carry: replicas, health checks, waits, profiles.</summary>
public sealed record ResourceHints(int Replicas, IReadOnlyList<DeploymentWait> Waits, string? HealthPath, string? HealthBinding, string? Profile);

public static class DeploymentHints
{
    /// <summary>The hints of every resource of the model, keyed by name.</summary>
    public static IReadOnlyDictionary<string, ResourceHints> FromModel(DistributedApplicationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var hints = new Dictionary<string, ResourceHints>(StringComparer.Ordinal);
        foreach (var resource in model.Resources)
        {
            var waits = resource.GetWaits()
                .Where(w => w.Resource is not ParameterResource)
                .Select(w => new DeploymentWait(
                    // A database is reached through its server: waiting for it is waiting for the server.
                    w.Resource is IResourceWithParent child ? child.Parent.Name : w.Resource.Name,
                    w.WaitType == WaitType.WaitForCompletion ? DeploymentWaitKind.Completed : DeploymentWaitKind.Healthy))
                .Distinct()
                .ToList();
            var health = resource.GetHttpHealthChecks().FirstOrDefault();
            hints[resource.Name] = new ResourceHints(
                resource.GetReplicaCount(), waits, health?.Path, health?.EndpointName,
                resource.Annotations.OfType<DeploymentProfileAnnotation>().LastOrDefault()?.Profile);
        }
        return hints;
    }
}
