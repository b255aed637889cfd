using System.Globalization;

namespace LearnApp.Hosting.ApplicationModel;

public enum EndpointProperty
{
    Url,
    Host,
    Port,
    Scheme,
    TargetPort,
}

/// <summary>A reference to one endpoint of a resource; its value is the URL (<c>{api.bindings.http.url}</c>).</summary>
public sealed class EndpointReference(IResourceWithEndpoints resource, string endpointName) : IManifestExpressionProvider, IValueProvider
{
    public IResourceWithEndpoints Resource { get; } = resource;

    public string EndpointName { get; } = endpointName;

    public EndpointAnnotation EndpointAnnotation =>
        Resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(e => e.Name == EndpointName)
        ?? throw new InvalidOperationException($"Resource '{Resource.Name}' has no endpoint named '{EndpointName}'.");

    public bool Exists => Resource.Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == EndpointName);

    public bool IsAllocated => EndpointAnnotation.AllocatedEndpoint is not null;

    public string Url => Allocated.UriString;

    public string Host => Allocated.Address;

    public int Port => Allocated.Port;

    public int TargetPort => Allocated.TargetPort;

    /// <summary>The scheme it is served with: in run mode the allocated one (https runs as http), else the declared one.</summary>
    public string Scheme => EndpointAnnotation.AllocatedEndpoint?.UriScheme ?? EndpointAnnotation.UriScheme;

    public string ValueExpression => $"{{{Resource.Name}.bindings.{EndpointName}.url}}";

    public EndpointReferenceExpression Property(EndpointProperty property) => new(this, property);

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(Url);

    private AllocatedEndpoint Allocated => EndpointAnnotation.AllocatedEndpoint ?? throw new InvalidOperationException(
        $"The endpoint '{EndpointName}' of '{Resource.Name}' has no allocated port yet (run mode allocates it at start).");
}

/// <summary>One property of an endpoint, e.g. <c>{web.bindings.http.targetPort}</c>.</summary>
public sealed class EndpointReferenceExpression(EndpointReference endpoint, EndpointProperty property) : IManifestExpressionProvider, IValueProvider
{
    public EndpointReference Endpoint { get; } = endpoint;

    public EndpointProperty Property { get; } = property;

    public string ValueExpression => $"{{{Endpoint.Resource.Name}.bindings.{Endpoint.EndpointName}.{Property switch
    {
        EndpointProperty.Url => "url",
        EndpointProperty.Host => "host",
        EndpointProperty.Port => "port",
        EndpointProperty.Scheme => "scheme",
        EndpointProperty.TargetPort => "targetPort",
        _ => throw new InvalidOperationException($"Unknown endpoint property {Property}."),
    }}}}";

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(Property switch
    {
        EndpointProperty.Url => Endpoint.Url,
        EndpointProperty.Host => Endpoint.Host,
        EndpointProperty.Port => Endpoint.Port.ToString(CultureInfo.InvariantCulture),
        EndpointProperty.Scheme => Endpoint.Scheme,
        EndpointProperty.TargetPort => Endpoint.TargetPort.ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"Unknown endpoint property {Property}."),
    });
}
