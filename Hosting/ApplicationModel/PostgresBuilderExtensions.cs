using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting;

public static class PostgresBuilderExtensions
{
    private const string DataTarget = "/var/lib/postgresql/data";

    /// <summary>
    /// Adds a PostgreSQL server (image <c>docker.io/library/postgres:17.6</c>, or the machine's own PostgreSQL when no
    /// container runtime answers) with a generated password parameter <c>&lt;name&gt;-password</c>.
    /// </summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource>? password = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var passwordParameter = password?.Resource
            ?? builder.AddParameter($"{name}-password", new GenerateParameterDefault { MinLength = 22 }, secret: true).Resource;
        var server = new PostgresServerResource(name, passwordParameter);
        return builder.AddResource(server)
            .WithAnnotation(new ContainerImageAnnotation("docker.io", "library/postgres", "17.6"))
            .WithEndpoint(port: port, targetPort: 5432, scheme: "tcp", name: PostgresServerResource.PrimaryEndpointName)
            .WithEnvironment("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")
            .WithEnvironment("POSTGRES_INITDB_ARGS", "--auth-host=scram-sha-256 --auth-local=scram-sha-256")
            .WithEnvironment("POSTGRES_USER", server.UserName)
            .WithEnvironment("POSTGRES_PASSWORD", builder.CreateResourceBuilder(passwordParameter));
    }

    /// <summary>Adds a database on the server; run mode creates it when it is missing.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        databaseName ??= name;
        builder.Resource.Databases.Add(name, databaseName);
        return builder.ApplicationBuilder.AddResource(new PostgresDatabaseResource(name, databaseName, builder.Resource));
    }

    /// <summary>Keeps the data across restarts: a named volume, or a folder in the AppHost's local state when native.</summary>
    public static IResourceBuilder<PostgresServerResource> WithDataVolume(
        this IResourceBuilder<PostgresServerResource> builder, string? name = null, bool isReadOnly = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithAnnotation(new ContainerMountAnnotation(
            name ?? VolumeNames.Generate(builder, "data"), DataTarget, ContainerMountType.Volume, isReadOnly));
    }
}
