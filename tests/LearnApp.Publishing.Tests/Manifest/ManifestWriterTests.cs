using System.Text.Json.Nodes;
using LearnApp.Hosting;
using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Publishing;

namespace LearnApp.Publishing.Tests.Manifest;

/// <summary>The writer on small in-memory models, for shapes LearnApp's own AppHost does not use.</summary>
public sealed class ManifestWriterTests
{
    private static readonly DistributedApplicationExecutionContext s_publish = new(DistributedApplicationOperation.Publish, "manifest");

    [Fact]
    public async Task An_npm_app_without_a_Dockerfile_is_an_executable_and_with_one_a_container_build()
    {
        var builder = CreateBuilder();
        builder.AddNpmApp("plain", "web", "dev").WithHttpEndpoint(env: "PORT");
        builder.AddNpmApp("built", "web", "dev").WithHttpEndpoint(env: "PORT").PublishAsDockerFile();

        var (json, resources) = await WriteAsync(builder, builder.AppHostDirectory);

        Assert.Equal("executable.v0", resources["plain"]!["type"]!.GetValue<string>());
        Assert.Equal("npm", resources["plain"]!["command"]!.GetValue<string>());
        Assert.Equal(["run", "dev"], resources["plain"]!["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("container.v1", resources["built"]!["type"]!.GetValue<string>());
        Assert.Equal("web/Dockerfile", resources["built"]!["build"]!["dockerfile"]!.GetValue<string>());
        // Aspire's publish-time allocator: 8000, then 8001.
        Assert.Equal(8000, resources["plain"]!["bindings"]!["http"]!["targetPort"]!.GetValue<int>());
        Assert.Equal(8001, resources["built"]!["bindings"]!["http"]!["targetPort"]!.GetValue<int>());
        await JsonSchemas.AssertValidAsync(Repository.AspireSchema, json, "the manifest");
    }

    [Fact]
    public async Task An_https_endpoint_is_an_https_binding_and_its_port_is_in_HTTPS_PORTS()
    {
        var builder = CreateBuilder();
        builder.AddProject("api", "Api/Api.csproj").WithHttpsEndpoint();

        var (json, resources) = await WriteAsync(builder, builder.AppHostDirectory);

        var bindings = resources["api"]!["bindings"]!;
        Assert.Equal("https", bindings["https"]!["scheme"]!.GetValue<string>());
        Assert.Equal("http", bindings["https"]!["transport"]!.GetValue<string>());
        Assert.Equal("http", bindings["http"]!["scheme"]!.GetValue<string>());
        Assert.Equal("{api.bindings.https.targetPort}", resources["api"]!["env"]!["HTTPS_PORTS"]!.GetValue<string>());
        Assert.Equal("{api.bindings.http.targetPort}", resources["api"]!["env"]!["HTTP_PORTS"]!.GetValue<string>());
        await JsonSchemas.AssertValidAsync(Repository.AspireSchema, json, "the manifest");
    }

    [Fact]
    public async Task Paths_are_relative_to_the_manifests_folder_with_forward_slashes()
    {
        var builder = CreateBuilder();
        builder.AddProject("svc", "src/Svc/Svc.csproj");
        var output = Path.Combine(builder.AppHostDirectory, "out", "deep");

        var (_, resources) = await WriteAsync(builder, output);

        Assert.Equal("../../src/Svc/Svc.csproj", resources["svc"]!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_configured_secret_value_never_reaches_the_manifest()
    {
        const string secret = "configured-secret-value-7f3a9c";
        var builder = CreateBuilder($"--Parameters:jwt-key={secret}", $"--Parameters:pg-password={secret}");
        var key = builder.AddParameter("jwt-key", secret: true);
        var pg = builder.AddPostgres("pg");
        builder.AddProject("api", "Api/Api.csproj").WithEnvironment("Jwt__SigningKey", key).WithReference(pg.AddDatabase("db"));

        var (json, resources) = await WriteAsync(builder, builder.AppHostDirectory);

        Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
        // A secret without a published default has no default at all: the deployer asks for it.
        Assert.Null(resources["jwt-key"]!["inputs"]!["value"]!["default"]);
        await JsonSchemas.AssertValidAsync(Repository.AspireSchema, json, "the manifest");
    }

    [Fact]
    public async Task An_explicit_port_that_differs_from_the_target_port_is_written()
    {
        var builder = CreateBuilder();
        builder.AddRedis("cache", port: 6380);

        var (_, resources) = await WriteAsync(builder, builder.AppHostDirectory);

        var binding = resources["cache"]!["bindings"]!["tcp"]!;
        Assert.Equal(6380, binding["port"]!.GetValue<int>());
        Assert.Equal(6379, binding["targetPort"]!.GetValue<int>());
        Assert.Null(resources["cache"]!["volumes"]);
    }

    [Fact]
    public async Task A_constant_default_is_published_as_a_value_default()
    {
        var builder = CreateBuilder();
        builder.AddParameter("region", "eu-west", publishValueAsDefault: true);

        var (json, resources) = await WriteAsync(builder, builder.AppHostDirectory);

        Assert.Equal("eu-west", resources["region"]!["inputs"]!["value"]!["default"]!["value"]!.GetValue<string>());
        Assert.Null(resources["region"]!["inputs"]!["value"]!["secret"]);
        await JsonSchemas.AssertValidAsync(Repository.AspireSchema, json, "the manifest");
    }

    private static IDistributedApplicationBuilder CreateBuilder(params string[] args) =>
        DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = ["--publisher", "manifest", .. args],
            ProjectDirectory = Repository.CreateTempDirectory(),
            ApplicationName = "LearnApp.AppHost",
        });

    private static async Task<(string Json, JsonObject Resources)> WriteAsync(IDistributedApplicationBuilder builder, string manifestDirectory)
    {
        var model = new DistributedApplicationModel([.. builder.Resources]);
        var manifest = await new ManifestWriter(builder.ExecutionContext, manifestDirectory).WriteAsync(model);
        return (ManifestWriter.Serialize(manifest), manifest["resources"]!.AsObject());
    }
}
