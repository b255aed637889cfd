namespace LearnApp.Hosting.ApplicationModel;

/// <summary>A relationship to another resource, e.g. <c>Reference</c> from <c>WithReference</c> or <c>Parent</c>.</summary>
public sealed class ResourceRelationshipAnnotation(IResource resource, string type) : IResourceAnnotation
{
    public const string ReferenceType = "Reference";
    public const string WaitForType = "WaitFor";

    public IResource Resource { get; } = resource;

    public string Type { get; } = type;
}
