namespace LearnApp.Hosting.ApplicationModel;

/// <summary>A PostgreSQL server; its connection string has no database (<see cref="PostgresDatabaseResource"/> adds one).</summary>
public sealed class PostgresServerResource : ContainerResource, IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";
    public const string DefaultUserName = "postgres";

    public PostgresServerResource(string name, ParameterResource password) : base(name)
    {
        PasswordParameter = password;
        PrimaryEndpoint = new EndpointReference(this, PrimaryEndpointName);
    }

    public ParameterResource PasswordParameter { get; }

    public string UserName { get; init; } = DefaultUserName;

    public EndpointReference PrimaryEndpoint { get; }

    /// <summary>Database resource name → database name.</summary>
    public Dictionary<string, string> Databases { get; } = new(StringComparer.Ordinal);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");
}

/// <summary>A database inside a <see cref="PostgresServerResource"/>; run mode creates it when it is missing.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent)
    : Resource(name), IResourceWithParent<PostgresServerResource>, IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public PostgresServerResource Parent { get; } = parent;

    IResource IResourceWithParent.Parent => Parent;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
