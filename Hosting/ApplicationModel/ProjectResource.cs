namespace LearnApp.Hosting.ApplicationModel;

/// <summary>A .NET project: run mode builds it once and runs its built assembly, one process per replica.</summary>
public sealed class ProjectResource(string name)
    : Resource(name), IResourceWithEnvironment, IResourceWithArgs, IResourceWithServiceDiscovery, IResourceWithWaitSupport
{
    public string ProjectPath => Annotations.OfType<IProjectMetadata>().Single().ProjectPath;
}
