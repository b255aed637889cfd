namespace LearnApp.Hosting.ApplicationModel;

/// <summary>Every resource of the app, in the order the AppHost added them.</summary>
public sealed class DistributedApplicationModel(IReadOnlyList<IResource> resources)
{
    public IReadOnlyList<IResource> Resources { get; } = resources;
}

/// <summary>The builder's resources; names are unique regardless of case, as in Aspire.</summary>
public sealed class ResourceCollection : IReadOnlyList<IResource>
{
    private readonly List<IResource> _resources = [];

    public int Count => _resources.Count;

    public IResource this[int index] => _resources[index];

    public void Add(IResource resource)
    {
        if (_resources.FirstOrDefault(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)) is { } existing)
        {
            throw new InvalidOperationException(
                $"Cannot add resource '{resource.Name}' ({resource.GetType().Name}): '{existing.Name}' ({existing.GetType().Name}) already has that name.");
        }
        _resources.Add(resource);
    }

    public IEnumerator<IResource> GetEnumerator() => _resources.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
