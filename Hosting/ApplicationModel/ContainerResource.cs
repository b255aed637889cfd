namespace LearnApp.Hosting.ApplicationModel;

/// <summary>
/// A container image. Run mode starts it with a container runtime when one answers; PostgreSQL and Redis also run
/// natively from the machine's binaries when none does.
/// </summary>
public class ContainerResource(string name)
    : Resource(name), IResourceWithEnvironment, IResourceWithArgs, IResourceWithEndpoints, IResourceWithWaitSupport
{
    public ContainerImageAnnotation? Image => Annotations.OfType<ContainerImageAnnotation>().LastOrDefault();
}
