using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting.Tests.ApplicationModel;

public sealed class AppModelTests
{
    [Fact]
    public void TheExecutionContextIsRunModeUnlessAPublisherIsGiven()
    {
        Assert.True(TestAppHost.CreateBuilder().ExecutionContext.IsRunMode);

        var publishing = TestAppHost.CreateBuilder("--publisher", "manifest", "--output-path", "out.json").ExecutionContext;

        Assert.True(publishing.IsPublishMode);
        Assert.False(publishing.IsRunMode);
        Assert.Equal("manifest", publishing.PublisherName);
    }

    [Fact]
    public void WaitsAreRecordedWithTheirKind()
    {
        var builder = TestAppHost.CreateBuilder();
        var db = builder.AddPostgres("postgres").AddDatabase("db");
        var migrator = builder.AddProject("migrator", "../Api/LearnApp.Api.csproj").WithArgs("migrate").WaitFor(db);
        var api = builder.AddProject("api", "../Api/LearnApp.Api.csproj").WaitFor(db).WaitForCompletion(migrator);

        var waits = api.Resource.GetWaits().ToList();

        Assert.Equal([(db.Resource as IResource, WaitType.WaitUntilHealthy), (migrator.Resource, WaitType.WaitForCompletion)],
            waits.Select(w => (w.Resource, w.WaitType)));
        Assert.Equal(0, waits[1].ExitCode);
        Assert.Contains(db.Resource.Parent, db.Resource.GetDependencies());
    }

    [Fact]
    public void ReplicasHealthChecksAndExternalEndpointsAreKeptOnTheResource()
    {
        var builder = TestAppHost.CreateBuilder();
        var api = builder.AddProject("api", "../Api/LearnApp.Api.csproj")
            .WithReplicas(2).WithHttpHealthCheck("/health").WithExternalHttpEndpoints();

        var check = Assert.Single(api.Resource.GetHttpHealthChecks());

        Assert.Equal(2, api.Resource.GetReplicaCount());
        Assert.Equal("api_http_/health_200_check", check.Key(api.Resource));
        var endpoint = Assert.Single(api.Resource.GetEndpointAnnotations());
        Assert.Equal(("http", "http", true), (endpoint.UriScheme, endpoint.Transport, endpoint.IsExternal));
    }

    [Fact]
    public void DataVolumesAreNamedAfterTheAppAndTheResource()
    {
        var builder = TestAppHost.CreateBuilder();
        var postgres = builder.AddPostgres("postgres").WithDataVolume();
        var cache = builder.AddRedis("cache").WithDataVolume();

        var volume = Assert.Single(postgres.Resource.Annotations.OfType<ContainerMountAnnotation>());

        Assert.Matches("^learnapp.apphost-[0-9a-f]{10}-postgres-data$", volume.Source);
        Assert.Equal("/var/lib/postgresql/data", volume.Target);
        Assert.True(cache.Resource.IsPersistent);
        Assert.Equal("docker.io/library/postgres:17.6", postgres.Resource.Image?.FullName);
    }

    [Fact]
    public void BadNamesAndDuplicatesAreRejectedWhenTheModelIsBuilt()
    {
        var builder = TestAppHost.CreateBuilder();
        var api = builder.AddProject("api", "../Api/LearnApp.Api.csproj");

        Assert.Throws<InvalidOperationException>(() => builder.AddProject("API", "../Api/LearnApp.Api.csproj"));
        Assert.Throws<ArgumentException>(() => builder.AddProject("bad--name", "../Api/LearnApp.Api.csproj"));
        Assert.Throws<InvalidOperationException>(() => api.WithHttpEndpoint());
        Assert.Throws<ArgumentOutOfRangeException>(() => api.WithReplicas(0));
        Assert.Throws<InvalidOperationException>(() => api.WaitFor(api));
    }

    [Fact]
    public void TheBuiltModelHoldsEveryResourceInTheOrderAdded()
    {
        var builder = TestAppHost.CreateBuilder("--publisher", "manifest");
        var postgres = builder.AddPostgres("postgres");
        postgres.AddDatabase("db");
        builder.AddProject("api", "../Api/LearnApp.Api.csproj");

        using var app = builder.Build();

        Assert.Equal(["postgres-password", "postgres", "db", "api"], app.Model.Resources.Select(r => r.Name));
    }
}
