namespace LearnApp.Hosting.ApplicationModel;

/// <summary>The image a container resource runs, e.g. <c>docker.io/library/postgres:17.6</c>.</summary>
public sealed class ContainerImageAnnotation(string registry, string image, string tag) : IResourceAnnotation
{
    public string Registry { get; } = registry;

    public string Image { get; } = image;

    public string Tag { get; } = tag;

    public string FullName => $"{Registry}/{Image}:{Tag}";
}

public enum ContainerMountType
{
    BindMount,
    Volume,
}

/// <summary>A volume or bind mount. Without a container runtime, a named volume is a folder in the AppHost's local state.</summary>
public sealed class ContainerMountAnnotation(string? source, string target, ContainerMountType type, bool isReadOnly) : IResourceAnnotation
{
    public string? Source { get; } = source;

    public string Target { get; } = target;

    public ContainerMountType Type { get; } = type;

    public bool IsReadOnly { get; } = isReadOnly;
}
