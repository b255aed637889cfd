using System.Net.Sockets;

namespace LearnApp.Hosting.ApplicationModel;

/// <summary>A network endpoint of a resource, as the manifest's <c>bindings.&lt;name&gt;</c> describes it.</summary>
public sealed class EndpointAnnotation(
    ProtocolType protocol, string uriScheme, string? transport, string name, int? port = null, int? targetPort = null,
    bool isExternal = false, bool isProxied = true) : IResourceAnnotation
{
    public string Name { get; } = name;

    public ProtocolType Protocol { get; } = protocol;

    /// <summary><c>http</c>, <c>https</c> or <c>tcp</c>.</summary>
    public string UriScheme { get; } = uriScheme;

    /// <summary><c>http</c>, <c>http2</c> or <c>tcp</c>.</summary>
    public string Transport { get; } = transport ?? uriScheme switch { "http" or "https" => "http", _ => "tcp" };

    /// <summary>The port other resources use; null lets the orchestrator pick one.</summary>
    public int? Port { get; set; } = port;

    /// <summary>The port the process itself listens on; null lets the orchestrator pick one.</summary>
    public int? TargetPort { get; set; } = targetPort;

    public bool IsExternal { get; set; } = isExternal;

    /// <summary>Whether run mode may put a proxy in front (it does for replicas).</summary>
    public bool IsProxied { get; set; } = isProxied;

    /// <summary>Set by the orchestrator in run mode once the port is known; null in publish mode.</summary>
    public AllocatedEndpoint? AllocatedEndpoint { get; set; }
}

/// <summary>Where an endpoint really listens in run mode: the stable address others use.</summary>
public sealed record AllocatedEndpoint(EndpointAnnotation Endpoint, string Address, int Port, int TargetPort)
{
    /// <summary>
    /// The scheme it is served with in run mode. Run mode has no certificates, so an https endpoint is served as
    /// plain http on its port (and says so); the manifest keeps <c>https</c>.
    /// </summary>
    public string UriScheme { get; init; } = Endpoint.UriScheme == "https" ? "http" : Endpoint.UriScheme;

    public string UriString => $"{UriScheme}://{Address}:{Port}";
}
