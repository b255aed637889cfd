using System.Net.Sockets;
using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting;

/// <summary>Environment, arguments, references, waits, endpoints and health checks, for every resource kind.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Aspire's prefix for connection strings: <c>ConnectionStrings__&lt;name&gt;</c>.</summary>
    public const string ConnectionStringEnvironmentPrefix = "ConnectionStrings__";

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string? value)
        where T : IResourceWithEnvironment
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(name, () => value));
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, ReferenceExpression value)
        where T : IResourceWithEnvironment
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(name, () => value));
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, EndpointReference endpoint)
        where T : IResourceWithEnvironment
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(name, () => endpoint));
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<ParameterResource> parameter)
        where T : IResourceWithEnvironment
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(parameter);
        builder.WithAnnotation(new ResourceRelationshipAnnotation(parameter.Resource, ResourceRelationshipAnnotation.ReferenceType));
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(name, () => parameter.Resource));
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, Action<EnvironmentCallbackContext> callback)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(callback);
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(context => { callback(context); return Task.CompletedTask; }));
    }

    public static IResourceBuilder<T> WithArgs<T>(this IResourceBuilder<T> builder, params string[] args) where T : IResourceWithArgs
    {
        ArgumentNullException.ThrowIfNull(args);
        return builder.WithAnnotation(new CommandLineArgsCallbackAnnotation(context => { context.Args.AddRange(args); return Task.CompletedTask; }));
    }

    /// <summary>Injects <c>ConnectionStrings__&lt;name&gt;</c> with the resource's connection string.</summary>
    public static IResourceBuilder<T> WithReference<T>(
        this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString> source, string? connectionName = null)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(source);
        var resource = source.Resource;
        var name = connectionName ?? resource.Name;
        builder.WithAnnotation(new ResourceRelationshipAnnotation(resource, ResourceRelationshipAnnotation.ReferenceType));
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation($"{ConnectionStringEnvironmentPrefix}{name}", () => resource));
    }

    /// <summary>
    /// Service discovery: injects <c>services__&lt;name&gt;__&lt;endpoint&gt;__0</c> with the URL of each of the
    /// resource's HTTP endpoints (the scheme for endpoints named http/https, else the endpoint's name).
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithServiceDiscovery> source)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(source);
        var resource = source.Resource;
        builder.WithAnnotation(new ResourceRelationshipAnnotation(resource, ResourceRelationshipAnnotation.ReferenceType));
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(context =>
        {
            // Evaluated late, so endpoints added after WithReference are included, as in Aspire.
            foreach (var endpoint in resource.GetEndpointAnnotations())
            {
                AddServiceDiscoveryVariable(context, resource, endpoint);
            }
            return Task.CompletedTask;
        }));
    }

    /// <summary>Service discovery for one endpoint.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, EndpointReference endpoint)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        builder.WithAnnotation(new ResourceRelationshipAnnotation(endpoint.Resource, ResourceRelationshipAnnotation.ReferenceType));
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(context =>
        {
            AddServiceDiscoveryVariable(context, endpoint.Resource, endpoint.EndpointAnnotation);
            return Task.CompletedTask;
        }));
    }

    /// <summary>Starts the resource only once <paramref name="dependency"/> is running and healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency)
        where T : IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(dependency);
        EnsureNotSelf(builder.Resource, dependency.Resource);
        return builder.WithAnnotation(new WaitAnnotation(dependency.Resource, WaitType.WaitUntilHealthy));
    }

    /// <summary>Starts the resource only once <paramref name="dependency"/> has exited with <paramref name="exitCode"/>.</summary>
    public static IResourceBuilder<T> WaitForCompletion<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency, int exitCode = 0)
        where T : IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(dependency);
        EnsureNotSelf(builder.Resource, dependency.Resource);
        return builder.WithAnnotation(new WaitAnnotation(dependency.Resource, WaitType.WaitForCompletion, exitCode));
    }

    /// <summary>
    /// Adds an HTTP endpoint. <paramref name="env"/> names a variable that receives the port to listen on
    /// (<c>PORT</c> for Node apps).
    /// </summary>
    public static IResourceBuilder<T> WithHttpEndpoint<T>(
        this IResourceBuilder<T> builder, int? port = null, int? targetPort = null, string? name = null, string? env = null, bool isProxied = true)
        where T : IResourceWithEndpoints =>
        builder.WithEndpoint(port, targetPort, "http", name, env, isProxied);

    /// <summary>
    /// Adds an HTTPS endpoint: <c>scheme: https</c> in the manifest (and <c>HTTPS_PORTS</c> for a project). Run mode
    /// has no certificates: it serves the endpoint as plain http on its port and says so in the resource's source line.
    /// </summary>
    public static IResourceBuilder<T> WithHttpsEndpoint<T>(
        this IResourceBuilder<T> builder, int? port = null, int? targetPort = null, string? name = null, string? env = null, bool isProxied = true)
        where T : IResourceWithEndpoints =>
        builder.WithEndpoint(port, targetPort, "https", name, env, isProxied);

    public static IResourceBuilder<T> WithEndpoint<T>(
        this IResourceBuilder<T> builder, int? port = null, int? targetPort = null, string? scheme = null, string? name = null,
        string? env = null, bool isProxied = true, bool isExternal = false)
        where T : IResourceWithEndpoints
    {
        scheme ??= "tcp";
        name ??= scheme;
        ValidatePort(port, nameof(port));
        ValidatePort(targetPort, nameof(targetPort));
        if (builder.Resource.GetEndpointAnnotations().Any(e => e.Name == name))
        {
            throw new InvalidOperationException($"Resource '{builder.Resource.Name}' already has an endpoint named '{name}'.");
        }

        var endpoint = new EndpointAnnotation(ProtocolType.Tcp, scheme, transport: null, name, port, targetPort, isExternal, isProxied);
        builder.WithAnnotation(endpoint);
        if (env is not null && builder.Resource is IResourceWithEnvironment)
        {
            var reference = new EndpointReference(builder.Resource, name).Property(EndpointProperty.TargetPort);
            builder.WithAnnotation(new EnvironmentCallbackAnnotation(env, () => reference));
        }
        return builder;
    }

    /// <summary>Marks every http/https endpoint as reachable from outside (the manifest's <c>external: true</c>).</summary>
    public static IResourceBuilder<T> WithExternalHttpEndpoints<T>(this IResourceBuilder<T> builder) where T : IResourceWithEndpoints
    {
        foreach (var endpoint in builder.Resource.GetEndpointAnnotations().Where(e => e.UriScheme is "http" or "https"))
        {
            endpoint.IsExternal = true;
        }
        return builder;
    }

    /// <summary>A run-mode health check: GET <paramref name="path"/> on the first http endpoint must answer 200.</summary>
    public static IResourceBuilder<T> WithHttpHealthCheck<T>(
        this IResourceBuilder<T> builder, string? path = null, int? statusCode = null, string? endpointName = null)
        where T : IResourceWithEndpoints
    {
        path ??= "/";
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"The health check path '{path}' must start with '/'.", nameof(path));
        }
        var endpoint = endpointName
            ?? builder.Resource.GetEndpointAnnotations().FirstOrDefault(e => e.UriScheme is "http" or "https")?.Name
            ?? throw new InvalidOperationException($"Resource '{builder.Resource.Name}' has no http endpoint to health-check.");
        return builder.WithAnnotation(new HttpHealthCheckAnnotation(path, statusCode ?? 200, endpoint));
    }

    public static EndpointReference GetEndpoint<T>(this IResourceBuilder<T> builder, string name) where T : IResourceWithEndpoints =>
        new(builder.Resource, name);

    private static void AddServiceDiscoveryVariable(EnvironmentCallbackContext context, IResource resource, EndpointAnnotation endpoint)
    {
        var key = endpoint.Name is "http" or "https" ? endpoint.UriScheme : endpoint.Name;
        context.EnvironmentVariables[$"services__{resource.Name}__{key}__0"] =
            new EndpointReference((IResourceWithEndpoints)resource, endpoint.Name);
    }

    private static void ValidatePort(int? port, string parameterName)
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(parameterName, port, "A port is between 1 and 65535.");
        }
    }

    private static void EnsureNotSelf(IResource resource, IResource dependency)
    {
        if (ReferenceEquals(resource, dependency))
        {
            throw new InvalidOperationException($"Resource '{resource.Name}' cannot wait for itself.");
        }
    }
}
