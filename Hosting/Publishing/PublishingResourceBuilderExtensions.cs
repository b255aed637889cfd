using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Publishing;

namespace LearnApp.Hosting;

public static class PublishingResourceBuilderExtensions
{
    /// <summary>
    /// Publishes an executable (an npm app) as an image built from <c>Dockerfile</c> in its working directory, as
    /// Aspire's <c>PublishAsDockerFile()</c>: <c>container.v1</c> with <c>build</c> instead of <c>executable.v0</c>,
    /// which azd rejects. Its arguments are dropped and <c>NODE_ENV</c> is <c>production</c>.
    /// </summary>
    public static IResourceBuilder<T> PublishAsDockerFile<T>(this IResourceBuilder<T> builder, string? dockerfile = null)
        where T : ExecutableResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        var context = builder.Resource.WorkingDirectory;
        return builder.WithAnnotation(new DockerfileBuildAnnotation(context, Path.GetFullPath(Path.Combine(context, dockerfile ?? "Dockerfile"))));
    }

    /// <summary>Leaves the resource out of the default deployment set; <c>docker compose --profile &lt;name&gt;</c> adds it.</summary>
    public static IResourceBuilder<T> WithDeploymentProfile<T>(this IResourceBuilder<T> builder, string profile) where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(profile);
        return builder.WithAnnotation(new DeploymentProfileAnnotation(profile));
    }
}
