namespace LearnApp.Hosting.ApplicationModel;

/// <summary>A named part of the distributed application. Inert data: it never starts itself.</summary>
public interface IResource
{
    string Name { get; }

    ResourceAnnotationCollection Annotations { get; }
}

/// <summary>A small piece of data attached to a resource, read by the orchestrator and the publishers.</summary>
public interface IResourceAnnotation;

/// <summary>The base of every resource: a name and its annotations.</summary>
public abstract class Resource : IResource
{
    protected Resource(string name)
    {
        ResourceNames.Validate(name);
        Name = name;
    }

    public string Name { get; }

    public ResourceAnnotationCollection Annotations { get; } = [];

    public override string ToString() => Name;
}

public sealed class ResourceAnnotationCollection : List<IResourceAnnotation>;
