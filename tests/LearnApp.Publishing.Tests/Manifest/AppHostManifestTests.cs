namespace LearnApp.Publishing.Tests.Manifest;

public sealed class AppHostManifestTests(PublishedManifestFixture manifest) : IClassFixture<PublishedManifestFixture>
{
    private static readonly string CheckedInPath = Path.Combine(Repository.Root, "aspire-manifest.json");

    [Fact]
    public async Task The_checked_in_manifest_is_exactly_what_the_AppHost_writes()
    {
        var checkedIn = await File.ReadAllTextAsync(CheckedInPath, TestContext.Current.CancellationToken);
        Assert.True(checkedIn == manifest.Json,
            "aspire-manifest.json is out of date: run `dotnet run --project AppHost -- --publisher manifest --output-path aspire-manifest.json`");
    }

    [Fact]
    public async Task The_manifest_validates_against_Aspires_schema() =>
        await JsonSchemas.AssertValidAsync(Repository.AspireSchema, manifest.Json, "the AppHost's manifest");

    [Fact]
    public void Every_resource_has_a_type_azd_deploys()
    {
        string[] supported = ["project.v0", "container.v0", "container.v1", "parameter.v0", "value.v0"];
        foreach (var (name, resource) in manifest.Resources)
        {
            Assert.Contains(resource!["type"]!.GetValue<string>(), supported);
        }
    }

    [Fact]
    public void Secrets_are_parameter_inputs_with_a_generate_rule_and_never_a_value()
    {
        var parameters = manifest.Resources.Where(r => r.Value!["type"]!.GetValue<string>() == "parameter.v0").ToList();
        Assert.Equal(["jwt-key", "postgres-password", "cache-password"], parameters.Select(p => p.Key));
        foreach (var (name, parameter) in parameters)
        {
            Assert.Equal($"{{{name}.inputs.value}}", parameter!["value"]!.GetValue<string>());
            var input = parameter["inputs"]!["value"]!;
            Assert.True(input["secret"]!.GetValue<bool>());
            Assert.True(input["default"]!["generate"]!["minLength"]!.GetValue<int>() >= 22);
            Assert.Null(input["default"]!["value"]);
        }
    }

    [Fact]
    public void Data_stores_are_containers_with_Aspires_images_and_named_volumes()
    {
        var postgres = manifest.Resources["postgres"]!;
        Assert.Equal("container.v0", postgres["type"]!.GetValue<string>());
        Assert.Equal("docker.io/library/postgres:17.6", postgres["image"]!.GetValue<string>());
        Assert.Equal("{postgres-password.value}", postgres["env"]!["POSTGRES_PASSWORD"]!.GetValue<string>());
        Assert.Equal("/var/lib/postgresql/data", postgres["volumes"]![0]!["target"]!.GetValue<string>());
        Assert.Equal(5432, postgres["bindings"]!["tcp"]!["targetPort"]!.GetValue<int>());
        Assert.Equal("{postgres.connectionString};Database=db", manifest.Resources["db"]!["connectionString"]!.GetValue<string>());

        var cache = manifest.Resources["cache"]!;
        Assert.Equal("docker.io/library/redis:8.2", cache["image"]!.GetValue<string>());
        Assert.Equal("/bin/sh", cache["entrypoint"]!.GetValue<string>());
        Assert.Equal("redis-server --requirepass $REDIS_PASSWORD --save 60 1", cache["args"]![1]!.GetValue<string>());
        Assert.Equal("/data", cache["volumes"]![0]!["target"]!.GetValue<string>());
    }

    [Fact]
    public void Projects_get_connection_strings_secrets_and_ports_as_expressions()
    {
        var api = manifest.Resources["api"]!;
        Assert.Equal("Api/LearnApp.Api.csproj", api["path"]!.GetValue<string>());
        Assert.Equal("{db.connectionString}", api["env"]!["ConnectionStrings__db"]!.GetValue<string>());
        Assert.Equal("{cache.connectionString}", api["env"]!["ConnectionStrings__cache"]!.GetValue<string>());
        Assert.Equal("{jwt-key.value}", api["env"]!["Jwt__SigningKey"]!.GetValue<string>());
        Assert.Equal("{api.bindings.http.targetPort}", api["env"]!["HTTP_PORTS"]!.GetValue<string>());
        Assert.True(api["bindings"]!["http"]!["external"]!.GetValue<bool>());
        Assert.Equal(["migrate"], manifest.Resources["migrator"]!["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["scheduler"], manifest.Resources["scheduler"]!["args"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public void Every_dotnet_service_is_the_Api_project_in_one_of_its_modes()
    {
        var projects = manifest.Resources.Where(r => r.Value!["type"]!.GetValue<string>().StartsWith("project.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["migrator", "api", "worker", "scheduler"], projects.Select(p => p.Key));
        Assert.All(projects, p => Assert.Equal("Api/LearnApp.Api.csproj", p.Value!["path"]!.GetValue<string>()));
        Assert.Equal(["worker"], manifest.Resources["worker"]!["args"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public void The_frontend_is_a_container_built_from_its_Dockerfile()
    {
        var frontend = manifest.Resources["frontend"]!;
        Assert.Equal("container.v1", frontend["type"]!.GetValue<string>());
        Assert.Equal("Frontend", frontend["build"]!["context"]!.GetValue<string>());
        Assert.Equal("Frontend/Dockerfile", frontend["build"]!["dockerfile"]!.GetValue<string>());
        Assert.Null(frontend["image"]);
        Assert.Null(frontend["args"]);
        Assert.Equal("production", frontend["env"]!["NODE_ENV"]!.GetValue<string>());
        Assert.Equal("{api.bindings.http.url}", frontend["env"]!["services__api__http__0"]!.GetValue<string>());
        Assert.Equal("{frontend.bindings.http.targetPort}", frontend["env"]!["PORT"]!.GetValue<string>());
        Assert.Equal(8000, frontend["bindings"]!["http"]!["targetPort"]!.GetValue<int>());
    }

    [Fact]
    public void Publishing_says_what_it_writes() => Assert.Contains("frontend", manifest.Console, StringComparison.Ordinal);
}
