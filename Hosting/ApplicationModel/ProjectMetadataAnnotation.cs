namespace LearnApp.Hosting.ApplicationModel;

/// <summary>Where a project resource's .csproj is (Aspire's <c>IProjectMetadata</c>).</summary>
public interface IProjectMetadata : IResourceAnnotation
{
    string ProjectPath { get; }
}

public sealed class ProjectMetadataAnnotation(string projectPath) : IProjectMetadata
{
    public string ProjectPath { get; } = projectPath;
}
