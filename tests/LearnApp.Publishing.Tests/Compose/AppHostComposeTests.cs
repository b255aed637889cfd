using System.Text.Json.Nodes;

namespace LearnApp.Publishing.Tests.Compose;

public sealed class AppHostComposeTests(PublishedComposeFixture published) : IClassFixture<PublishedComposeFixture>
{
    private static readonly string CheckedIn = Path.Combine(Repository.Root, "deploy", "compose");

    [Fact]
    public async Task The_checked_in_compose_files_are_exactly_what_the_AppHost_writes()
    {
        const string Regenerate = "run `dotnet run --project AppHost -- --publisher compose --output-path deploy/compose`";
        Assert.True(published.Compose == await File.ReadAllTextAsync(Path.Combine(CheckedIn, "compose.yaml"), TestContext.Current.CancellationToken),
            $"deploy/compose/compose.yaml is out of date: {Regenerate}");
        Assert.True(published.EnvExample == await File.ReadAllTextAsync(Path.Combine(CheckedIn, ".env.example"), TestContext.Current.CancellationToken),
            $"deploy/compose/.env.example is out of date: {Regenerate}");
    }

    [Fact]
    public async Task The_compose_file_is_valid_and_has_no_secret_value()
    {
        var compose = await ComposeChecks.AssertValidAsync(published.Compose, published.EnvExample);
        ComposeChecks.AssertNoSecretValues(compose);
        Assert.Contains("JWT_KEY=\n", published.EnvExample, StringComparison.Ordinal);
        Assert.Contains("POSTGRES_PASSWORD=\n", published.EnvExample, StringComparison.Ordinal);
        Assert.Contains("CACHE_PASSWORD=\n", published.EnvExample, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_set_is_the_simple_app_and_the_scaled_profile_adds_workers_and_the_scheduler()
    {
        var services = Services();
        Assert.Equal(["postgres", "cache", "migrator", "api", "frontend"], services.Where(s => s.Value!["profiles"] is null).Select(s => s.Key));
        Assert.Equal(["worker", "scheduler"], services.Where(s => s.Value!["profiles"]?[0]?.GetValue<string>() == "scaled").Select(s => s.Key));
        Assert.Equal(2, services["api"]!["deploy"]!["replicas"]!.GetValue<long>());
    }

    [Fact]
    public void Startup_order_follows_WaitFor_and_WaitForCompletion()
    {
        var services = Services();
        var api = services["api"]!["depends_on"]!;
        Assert.Equal("service_healthy", api["postgres"]!["condition"]!.GetValue<string>());
        Assert.Equal("service_healthy", api["cache"]!["condition"]!.GetValue<string>());
        Assert.Equal("service_completed_successfully", api["migrator"]!["condition"]!.GetValue<string>());
        Assert.Equal("service_healthy", services["frontend"]!["depends_on"]!["api"]!["condition"]!.GetValue<string>());
        Assert.Equal("no", services["migrator"]!["restart"]!.GetValue<string>());
        Assert.Equal("unless-stopped", services["api"]!["restart"]!.GetValue<string>());
    }

    [Fact]
    public void Health_checks_come_from_the_model_and_the_well_known_images()
    {
        var services = Services();
        Assert.Contains("GET /health ", services["api"]!["healthcheck"]!["test"]![1]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("/dev/tcp/127.0.0.1/8080", services["worker"]!["healthcheck"]!["test"]![1]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("pg_isready", services["postgres"]!["healthcheck"]!["test"]![1]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("redis-cli", services["cache"]!["healthcheck"]!["test"]![1]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("/dev/tcp/127.0.0.1/8080", services["scheduler"]!["healthcheck"]!["test"]![1]!.GetValue<string>(), StringComparison.Ordinal);
        // The one-shot migrator has none, not even the image's: compose waits for it to exit 0 instead.
        Assert.True(services["migrator"]!["healthcheck"]!["disable"]!.GetValue<bool>());
    }

    [Fact]
    public void Data_lives_in_named_volumes_and_every_service_has_limits()
    {
        var services = Services();
        Assert.Equal("learnapp-postgres-data", services["postgres"]!["volumes"]![0]!["source"]!.GetValue<string>());
        Assert.Equal("learnapp-cache-data", services["cache"]!["volumes"]![0]!["source"]!.GetValue<string>());
        Assert.All(services, s => Assert.NotNull(s.Value!["deploy"]!["resources"]!["limits"]!["memory"]));
    }

    [Fact]
    public void Only_the_frontend_is_published_on_a_host_port_and_it_reaches_the_api_inside()
    {
        var services = Services();
        Assert.Equal(["frontend"], services.Where(s => s.Value!["ports"] is not null).Select(s => s.Key));
        Assert.Equal("http://api:8080", services["frontend"]!["environment"]!["services__api__http__0"]!.GetValue<string>());
        Assert.Equal("../../Frontend", services["frontend"]!["build"]!["context"]!.GetValue<string>());
    }

    [Fact]
    public void The_dotnet_services_share_one_image_and_one_build_and_differ_by_command()
    {
        var services = Services();
        string[] dotnet = ["migrator", "api", "worker", "scheduler"];
        Assert.All(dotnet, name => Assert.Equal("${LEARNAPP_API_IMAGE:-learnapp-api:latest}", services[name]!["image"]!.GetValue<string>()));
        // Identical builds of one image name: compose builds it once; no service may build it differently.
        Assert.Single(dotnet.Select(name => services[name]!["build"]!.ToJsonString()).Distinct());
        Assert.Equal("Api/Dockerfile", services["worker"]!["build"]!["dockerfile"]!.GetValue<string>());
        Assert.Equal(["worker"], services["worker"]!["command"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Null(services["api"]!["command"]);
        Assert.DoesNotContain("LEARNAPP_WORKER_IMAGE", published.EnvExample, StringComparison.Ordinal);
    }

    [Fact]
    public void Publishing_shows_its_progress_per_service() =>
        Assert.Contains("api                  learnapp-api:latest (build Api/Dockerfile), 2 replicas", published.Console, StringComparison.Ordinal);

    private JsonObject Services() => YamlDocuments.ParseSingle(published.Compose)!["services"]!.AsObject();
}
