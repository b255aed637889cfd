using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting.Publishing;

/// <summary>
/// Publish the resource as an image built from a Dockerfile (Aspire's <c>PublishAsDockerFile</c>): the manifest
/// writes <c>container.v1</c> with <c>build</c>. Run mode ignores it. Paths are absolute.
/// </summary>
public sealed class DockerfileBuildAnnotation(string contextPath, string dockerfilePath) : IResourceAnnotation
{
    public string ContextPath { get; } = contextPath;

    public string DockerfilePath { get; } = dockerfilePath;
}
