namespace LearnApp.Hosting.ApplicationModel;

/// <summary>Questions the orchestrator and the publishers ask of a resource's annotations.</summary>
public static class ResourceExtensions
{
    public static int GetReplicaCount(this IResource resource) =>
        resource.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;

    public static IEnumerable<EndpointAnnotation> GetEndpointAnnotations(this IResource resource) =>
        resource.Annotations.OfType<EndpointAnnotation>();

    public static EndpointReference GetEndpoint(this IResourceWithEndpoints resource, string name) => new(resource, name);

    public static IEnumerable<WaitAnnotation> GetWaits(this IResource resource) => resource.Annotations.OfType<WaitAnnotation>();

    public static IEnumerable<HttpHealthCheckAnnotation> GetHttpHealthChecks(this IResource resource) =>
        resource.Annotations.OfType<HttpHealthCheckAnnotation>();

    /// <summary>Resources this one needs: what it waits for, what it references and its parent.</summary>
    public static IEnumerable<IResource> GetDependencies(this IResource resource)
    {
        var dependencies = resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource)
            .Concat(resource.Annotations.OfType<ResourceRelationshipAnnotation>().Select(r => r.Resource));
        if (resource is IResourceWithParent child)
        {
            dependencies = dependencies.Append(child.Parent);
        }
        return dependencies.Distinct();
    }

    /// <summary>Runs every environment callback: values are strings or expressions, not yet resolved.</summary>
    public static async Task<Dictionary<string, object?>> GetEnvironmentAsync(
        this IResource resource, DistributedApplicationExecutionContext executionContext)
    {
        var context = new EnvironmentCallbackContext(executionContext);
        foreach (var annotation in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await annotation.Callback(context);
        }
        return context.EnvironmentVariables;
    }

    /// <summary>Runs every argument callback: values are strings or expressions, not yet resolved.</summary>
    public static async Task<List<object>> GetArgsAsync(this IResource resource, DistributedApplicationExecutionContext executionContext)
    {
        var context = new CommandLineArgsCallbackContext(executionContext);
        foreach (var annotation in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await annotation.Callback(context);
        }
        return context.Args;
    }

    /// <summary>The environment with every value resolved for run mode (endpoints must be allocated).</summary>
    public static async Task<Dictionary<string, string>> GetEnvironmentValuesAsync(
        this IResource resource, DistributedApplicationExecutionContext executionContext,
        Func<EndpointReferenceExpression, string?>? endpointOverride = null, CancellationToken cancellationToken = default)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in await resource.GetEnvironmentAsync(executionContext))
        {
            if (await ExpressionResolver.ResolveAsync(value, endpointOverride, cancellationToken) is { } resolved)
            {
                values[name] = resolved;
            }
        }
        return values;
    }

    /// <summary>The environment as a manifest writes it, e.g. <c>ConnectionStrings__db = {db.connectionString}</c>.</summary>
    public static async Task<Dictionary<string, string>> GetManifestEnvironmentAsync(
        this IResource resource, DistributedApplicationExecutionContext executionContext)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in await resource.GetEnvironmentAsync(executionContext))
        {
            if (ExpressionResolver.ToManifestExpression(value) is { } expression)
            {
                values[name] = expression;
            }
        }
        return values;
    }
}
