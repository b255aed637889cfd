using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Orchestration;

namespace LearnApp.Hosting.Tests.Orchestration;

[Collection(nameof(OrchestratorTests))]
public sealed class ProjectMetadataTests
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public void TheBuildGeneratesAProjectsTypeNamedAfterEachProjectResourceReference()
    {
        var metadata = new Projects.LearnApp_Hosting_TestService();

        Assert.Equal(OrchestratedApp.TestServiceProject, metadata.ProjectPath);
        Assert.IsAssignableFrom<IProjectMetadata>(metadata);
    }

    [Fact]
    public async Task AProjectAddedByItsGeneratedTypeRunsLikeOneAddedByPath()
    {
        var builder = OrchestratedApp.CreateBuilder();
        var service = builder.AddProject<Projects.LearnApp_Hosting_TestService>("service").WithHttpHealthCheck("/health");
        await using var app = await OrchestratedApp.StartAsync(builder);

        await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("service")), "the service is healthy");

        Assert.Equal(OrchestratedApp.TestServiceProject, service.Resource.ProjectPath);
        var whoami = await s_http.GetStringAsync($"{service.Resource.GetEndpoint("http").Url}/whoami", TestContext.Current.CancellationToken);
        Assert.Equal($"service.instance.id={app.Single("service").InstanceId}", whoami);
    }
}
