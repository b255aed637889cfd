using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting.Publishing;

/// <summary>
/// The resource belongs to an optional deployment profile (compose <c>profiles</c>): it is left out of the default set.
/// The manifest cannot say this; the compose and Kubernetes publishers read it from the model.
/// </summary>
public sealed class DeploymentProfileAnnotation(string profile) : IResourceAnnotation
{
    public string Profile { get; } = profile;
}
