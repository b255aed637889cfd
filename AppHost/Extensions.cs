using LearnApp.Hosting.Orchestration.Native;
using Microsoft.Extensions.Configuration;

namespace LearnApp.AppHost;

internal enum AppTopology
{
    Single,
    Simple,
    Scaled,
}

internal static class Extensions
{
    /// <summary>
    /// <c>--topology single|simple|scaled|auto</c> (or config <c>Topology</c>; default auto). Auto is scaled when
    /// PostgreSQL and Redis can be run here, else single; it says which and why. Null after a one-line error.
    /// </summary>
    public static AppTopology? ResolveTopology(this IDistributedApplicationBuilder builder)
    {
        var requested = builder.Configuration["Topology"] is { Length: > 0 } configured ? configured.Trim().ToLowerInvariant() : "auto";
        switch (requested)
        {
            case "single":
                return Report(AppTopology.Single, "as asked");
            case "simple":
                return Report(AppTopology.Simple, "as asked");
            case "scaled":
                return Report(AppTopology.Scaled, "as asked");
            case "auto" when builder.ExecutionContext.IsPublishMode:
                // What runs on this machine says nothing about the deployment target: publish the full app.
                return Report(AppTopology.Scaled, "auto: publishing");
            case "auto":
                var postgres = PostgresInstallation.Find();
                var redis = RedisInstallation.Find();
                if (postgres is not null && redis is not null)
                {
                    return Report(AppTopology.Scaled, $"auto: PostgreSQL in {postgres.BinDirectory} and {redis.ServerPath} are available");
                }
                var missing = string.Join(" and ", new[]
                {
                    postgres is null ? $"PostgreSQL (install 'postgresql' or set {PostgresInstallation.BinDirectoryVariable})" : null,
                    redis is null ? $"redis-server (install 'redis-server' or set {RedisInstallation.ServerPathVariable})" : null,
                }.OfType<string>());
                return Report(AppTopology.Single, $"auto: {missing} not found");
            default:
                Console.Error.WriteLine($"error: unknown topology '{requested}': use --topology single, simple, scaled or auto");
                return null;
        }

        static AppTopology Report(AppTopology topology, string why)
        {
            Console.WriteLine($"topology {topology.ToString().ToLowerInvariant()} ({why})");
            return topology;
        }
    }

    public static bool HasFrontend(this IDistributedApplicationBuilder builder)
    {
        if (File.Exists(Path.Combine(builder.AppHostDirectory, "..", "Frontend", "package.json")))
        {
            return true;
        }
        Console.WriteLine("frontend: skipped (Frontend/package.json does not exist yet)");
        return false;
    }

    /// <summary>Where the built SPA is, for the single topology's Api to serve (it serves it only when the folder exists).</summary>
    public static string FrontendDistPath(this IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "Frontend", "dist"));

    public static int GetReplicas(this IConfiguration configuration, string key, int defaultValue)
    {
        var value = configuration[key];
        if (value is null)
        {
            return defaultValue;
        }
        return int.TryParse(value, out var replicas) && replicas is >= 1 and <= 16
            ? replicas
            : throw new InvalidOperationException($"{key} is '{value}': use a whole number from 1 to 16");
    }
}
