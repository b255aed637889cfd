using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting;

public static class RedisBuilderExtensions
{
    /// <summary>
    /// Adds a Redis server (image <c>docker.io/library/redis:8.2</c>, or the machine's own <c>redis-server</c> when no
    /// container runtime answers) with a generated password parameter <c>&lt;name&gt;-password</c>.
    /// </summary>
    public static IResourceBuilder<RedisResource> AddRedis(
        this IDistributedApplicationBuilder builder, string name, int? port = null, IResourceBuilder<ParameterResource>? password = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var passwordParameter = password?.Resource
            ?? builder.AddParameter($"{name}-password", new GenerateParameterDefault { MinLength = 22, Special = false }, secret: true).Resource;
        return builder.AddResource(new RedisResource(name, passwordParameter))
            .WithAnnotation(new ContainerImageAnnotation("docker.io", "library/redis", "8.2"))
            .WithEndpoint(port: port, targetPort: 6379, scheme: "tcp", name: RedisResource.PrimaryEndpointName)
            .WithEnvironment("REDIS_PASSWORD", builder.CreateResourceBuilder(passwordParameter));
    }

    /// <summary>Keeps the data across restarts (Redis persistence: <c>--save 60 1</c> in a container, an append-only file natively).</summary>
    public static IResourceBuilder<RedisResource> WithDataVolume(
        this IResourceBuilder<RedisResource> builder, string? name = null, bool isReadOnly = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithAnnotation(new ContainerMountAnnotation(
            name ?? VolumeNames.Generate(builder, "data"), RedisResource.RedisDataTarget, ContainerMountType.Volume, isReadOnly));
        return isReadOnly ? builder : builder.WithArgs("--save", "60", "1");
    }
}
