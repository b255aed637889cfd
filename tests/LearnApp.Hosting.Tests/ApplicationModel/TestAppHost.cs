using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting.Tests.ApplicationModel;

/// <summary>Builders over a throwaway AppHost folder, so generated parameters never touch the real one.</summary>
internal static class TestAppHost
{
    public static IDistributedApplicationBuilder CreateBuilder(params string[] args) =>
        DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = args,
            ProjectDirectory = CreateDirectory(),
            ApplicationName = "LearnApp.AppHost",
        });

    public static string CreateDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "learnapp-apphost-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>What run mode does before it starts anything: give every endpoint its address.</summary>
    public static void Allocate(IResource resource, string endpointName, int port, int? targetPort = null)
    {
        var endpoint = resource.GetEndpointAnnotations().Single(e => e.Name == endpointName);
        endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "127.0.0.1", port, targetPort ?? port);
    }

    public static Task<Dictionary<string, string>> RunEnvironmentAsync(this IResource resource) =>
        resource.GetEnvironmentValuesAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));

    public static Task<Dictionary<string, string>> ManifestEnvironmentAsync(this IResource resource) =>
        resource.GetManifestEnvironmentAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish, "manifest"));
}
