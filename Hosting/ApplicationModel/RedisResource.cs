namespace LearnApp.Hosting.ApplicationModel;

/// <summary>A Redis server; the connection string is in StackExchange.Redis form (<c>host:port,password=…</c>).</summary>
public sealed class RedisResource : ContainerResource, IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";

    public RedisResource(string name, ParameterResource password) : base(name)
    {
        PasswordParameter = password;
        PrimaryEndpoint = new EndpointReference(this, PrimaryEndpointName);
    }

    public ParameterResource PasswordParameter { get; }

    public EndpointReference PrimaryEndpoint { get; }

    /// <summary>True after <c>WithDataVolume</c>/<c>WithPersistence</c>: data is kept across restarts.</summary>
    public bool IsPersistent => Annotations.OfType<ContainerMountAnnotation>().Any(m => m.Target == RedisDataTarget);

    internal const string RedisDataTarget = "/data";

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)},password={PasswordParameter}");
}
