using System.Text.Json.Nodes;
using LearnApp.Hosting.Publishing;
using LearnApp.Hosting.Publishing.Deployment;
using LearnApp.Publishing.Compose;

namespace LearnApp.Publishing.Tests.Compose;

/// <summary>The compose converter given only an Aspire manifest, as Aspirate is: ours and ones shaped like real Aspire output.</summary>
public sealed class ManifestToComposeTests
{
    [Theory]
    [InlineData("aspire-facts-a7.json")]
    [InlineData("shop-manifest.json")]
    public async Task A_real_shaped_manifest_converts_to_a_valid_compose_file_without_secrets(string fixture)
    {
        var (compose, _, env) = await ConvertAsync(fixture);

        var parsed = await ComposeChecks.AssertValidAsync(compose, env);
        ComposeChecks.AssertNoSecretValues(parsed);
    }

    [Fact]
    public async Task Health_checks_are_inferred_for_the_well_known_postgres_and_redis_images()
    {
        var (compose, _, _) = await ConvertAsync("aspire-facts-a7.json");
        var services = YamlDocuments.ParseSingle(compose)!["services"]!;

        Assert.Contains("pg_isready", services["pg"]!["healthcheck"]!["test"]![1]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("redis-cli -a \"$$REDIS_PASSWORD\"", services["cache"]!["healthcheck"]!["test"]![1]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(services["api"]!["healthcheck"]);
        // The api uses the database (through learndb) and the cache: it starts once both are healthy.
        Assert.Equal("service_healthy", services["api"]!["depends_on"]!["pg"]!["condition"]!.GetValue<string>());
        Assert.Equal("service_healthy", services["api"]!["depends_on"]!["cache"]!["condition"]!.GetValue<string>());
        // The web app has no known health check: waiting for it can only mean started.
        Assert.Equal("service_started", services["web"]!["depends_on"]!["api"]!["condition"]!.GetValue<string>());
    }

    [Fact]
    public async Task Expressions_become_service_names_ports_and_variables()
    {
        var (compose, _, _) = await ConvertAsync("aspire-facts-a7.json");
        var services = YamlDocuments.ParseSingle(compose)!["services"]!;

        var api = services["api"]!["environment"]!;
        Assert.Equal("Host=pg;Port=5432;Username=postgres;Password=${PG_PASSWORD:?set PG_PASSWORD in .env};Database=learndb",
            api["ConnectionStrings__learndb"]!.GetValue<string>());
        Assert.Equal("cache:6379,password=${CACHE_PASSWORD:?set CACHE_PASSWORD in .env}", api["ConnectionStrings__cache"]!.GetValue<string>());
        Assert.Equal("8080", api["HTTP_PORTS"]!.GetValue<string>());
        Assert.Equal("http://api:8080", services["web"]!["environment"]!["services__api__http__0"]!.GetValue<string>());
        Assert.Equal(["/bin/sh"], services["cache"]!["entrypoint"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal("redis-server --requirepass $$REDIS_PASSWORD --save 60 1", services["cache"]!["command"]![1]!.GetValue<string>());
    }

    [Fact]
    public async Task What_the_manifest_cannot_say_is_reported_and_https_urls_are_left_out()
    {
        var (compose, warnings, _) = await ConvertAsync("aspire-facts-a7.json");
        var web = YamlDocuments.ParseSingle(compose)!["services"]!["web"]!;

        Assert.Null(web["environment"]!["services__api__https__0"]);
        Assert.Contains(warnings, w => w.Contains("services__api__https__0", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("no replicas, health checks or startup order", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Builds_bind_mounts_and_parameters_keep_their_meaning()
    {
        var (compose, _, env) = await ConvertAsync("shop-manifest.json");
        var services = YamlDocuments.ParseSingle(compose)!["services"]!;

        Assert.Equal("../shopfront", services["shopfront"]!["build"]!["context"]!.GetValue<string>());
        Assert.Equal("Dockerfile", services["shopfront"]!["build"]!["dockerfile"]!.GetValue<string>());
        var mount = services["gateway"]!["volumes"]![0]!;
        Assert.Equal("bind", mount["type"]!.GetValue<string>());
        Assert.Equal("../gateway/nginx.conf", mount["source"]!.GetValue<string>());
        Assert.True(mount["read_only"]!.GetValue<bool>());
        var orders = services["orders"]!["environment"]!;
        Assert.Equal("${PAYMENTS:?set PAYMENTS in .env}", orders["ConnectionStrings__payments"]!.GetValue<string>());
        Assert.Equal("${REGION:-eu-west}", orders["REGION"]!.GetValue<string>());
        Assert.Equal("amqp://guest:${BUS_PASSWORD:?set BUS_PASSWORD in .env}@bus:5672", orders["ConnectionStrings__bus"]!.GetValue<string>());
        Assert.Equal("http://orders:8080", services["gateway"]!["environment"]!["services__orders__http__0"]!.GetValue<string>());
        // An explicit port that differs from the target port is the host port, as in Aspire's compose publisher.
        Assert.Equal(["${GATEWAY_HTTP_PORT:-80}:8080"], services["gateway"]!["ports"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Contains("PAYMENTS=\n", env, StringComparison.Ordinal);
        Assert.Contains("STORE_PASSWORD=\n", env, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_resource_type_is_an_error_naming_the_resource()
    {
        var manifest = await LoadAsync("aspire-facts-a7.json");
        manifest["resources"]!["storage"] = new JsonObject { ["type"] = "azure.bicep.v0", ["path"] = "storage.bicep" };

        var error = Assert.Throws<PublishingException>(() => DeploymentModelBuilder.FromManifest(manifest, "/m", "/out", DeploymentTarget.Compose));

        Assert.Equal("resource 'storage' has type 'azure.bicep.v0', which cannot be deployed here", error.Message);
    }

    [Fact]
    public async Task An_executable_is_an_error_that_says_how_to_publish_it()
    {
        var manifest = await LoadAsync("aspire-facts-a7.json");
        manifest["resources"]!["web"] = new JsonObject { ["type"] = "executable.v0", ["command"] = "npm", ["workingDirectory"] = "../web" };

        var error = Assert.Throws<PublishingException>(() => DeploymentModelBuilder.FromManifest(manifest, "/m", "/out", DeploymentTarget.Compose));

        Assert.Contains("resource 'web'", error.Message, StringComparison.Ordinal);
        Assert.Contains("PublishAsDockerFile()", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{nowhere.connectionString}", "refers to 'nowhere', which is not in the manifest")]
    [InlineData("{pg.bindings.udp.port}", "refers to binding 'udp', which 'pg' does not have")]
    [InlineData("{pg.bindings.tcp.color}", "asks for 'color'")]
    [InlineData("{learndb.value}", "cannot resolve {learndb.value}")]
    [InlineData("{pg.connectionString", "unclosed '{'")]
    public async Task An_expression_that_cannot_be_resolved_is_an_error_naming_the_resource(string expression, string expected)
    {
        var manifest = await LoadAsync("aspire-facts-a7.json");
        manifest["resources"]!["api"]!["env"]!["BROKEN"] = expression;

        var error = Assert.Throws<PublishingException>(() => DeploymentModelBuilder.FromManifest(manifest, "/m", "/out", DeploymentTarget.Compose));

        Assert.StartsWith("resource 'api': ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static async Task<JsonObject> LoadAsync(string fixture) =>
        JsonNode.Parse(await File.ReadAllTextAsync(Repository.Fixture(fixture), TestContext.Current.CancellationToken))!.AsObject();

    private static async Task<(string Compose, IReadOnlyList<string> Warnings, string Env)> ConvertAsync(string fixture)
    {
        // As if the manifest sat in an AppHost folder and compose went to a sibling deploy/compose folder.
        var root = Repository.CreateTempDirectory();
        var model = DeploymentModelBuilder.FromManifest(await LoadAsync(fixture), Path.Combine(root, "AppHost"), Path.Combine(root, "deploy"), DeploymentTarget.Compose);
        return (ComposeFileWriter.WriteCompose(model, "a test"), model.Warnings, ComposeFileWriter.WriteEnvExample(model, "a test"));
    }
}
