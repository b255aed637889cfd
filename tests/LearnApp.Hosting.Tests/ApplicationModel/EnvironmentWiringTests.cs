using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting.Tests.ApplicationModel;

public sealed class EnvironmentWiringTests
{
    [Fact]
    public async Task ReferencingADatabaseInjectsItsNpgsqlConnectionStringAsConnectionStringsDb()
    {
        var builder = TestAppHost.CreateBuilder("--Parameters:postgres-password=pg-secret");
        var postgres = builder.AddPostgres("postgres");
        var db = postgres.AddDatabase("db");
        var api = builder.AddProject("api", "../Api/LearnApp.Api.csproj").WithReference(db);
        TestAppHost.Allocate(postgres.Resource, "tcp", 55432);
        TestAppHost.Allocate(api.Resource, "http", 5180);

        var env = await api.Resource.RunEnvironmentAsync();

        Assert.Equal("Host=127.0.0.1;Port=55432;Username=postgres;Password=pg-secret;Database=db", env["ConnectionStrings__db"]);
    }

    [Fact]
    public async Task ReferencingRedisInjectsAStackExchangeRedisConnectionStringAsConnectionStringsCache()
    {
        var builder = TestAppHost.CreateBuilder("--Parameters:cache-password=redis-secret");
        var cache = builder.AddRedis("cache");
        var worker = builder.AddProject("worker", "../Api/LearnApp.Api.csproj").WithArgs("worker").WithReference(cache);
        TestAppHost.Allocate(cache.Resource, "tcp", 56379);
        TestAppHost.Allocate(worker.Resource, "http", 5190);

        var env = await worker.Resource.RunEnvironmentAsync();

        Assert.Equal("127.0.0.1:56379,password=redis-secret", env["ConnectionStrings__cache"]);
    }

    [Fact]
    public async Task ReferencingAProjectInjectsItsStableUrlForServiceDiscovery()
    {
        var builder = TestAppHost.CreateBuilder();
        var api = builder.AddProject("api", "../Api/LearnApp.Api.csproj").WithReplicas(2);
        var frontend = builder.AddNpmApp("frontend", "../Frontend", "dev").WithReference(api);
        TestAppHost.Allocate(api.Resource, "http", 5180, 40001);

        var env = await frontend.Resource.RunEnvironmentAsync();

        Assert.Equal("http://127.0.0.1:5180", env["services__api__http__0"]);
    }

    [Fact]
    public async Task ANonHttpEndpointIsDiscoveredUnderItsOwnName()
    {
        var builder = TestAppHost.CreateBuilder();
        var api = builder.AddProject("api", "../Api/LearnApp.Api.csproj").WithHttpEndpoint(name: "admin");
        var worker = builder.AddProject("worker", "../Api/LearnApp.Api.csproj").WithArgs("worker").WithReference(api);

        var env = await worker.Resource.ManifestEnvironmentAsync();

        Assert.Equal("{api.bindings.http.url}", env["services__api__http__0"]);
        Assert.Equal("{api.bindings.admin.url}", env["services__api__admin__0"]);
    }

    [Fact]
    public async Task AManifestSeesExpressionsInsteadOfValues()
    {
        var builder = TestAppHost.CreateBuilder();
        var postgres = builder.AddPostgres("postgres");
        var db = postgres.AddDatabase("db");
        var cache = builder.AddRedis("cache");
        var jwtKey = builder.AddParameter("jwt-key", secret: true);
        var api = builder.AddProject("api", "../Api/LearnApp.Api.csproj")
            .WithReference(db).WithReference(cache).WithEnvironment("Jwt__SigningKey", jwtKey);
        var worker = builder.AddProject("worker", "../Api/LearnApp.Api.csproj").WithArgs("worker").WithReference(api);

        var apiEnv = await api.Resource.ManifestEnvironmentAsync();
        var workerEnv = await worker.Resource.ManifestEnvironmentAsync();

        Assert.Equal("{db.connectionString}", apiEnv["ConnectionStrings__db"]);
        Assert.Equal("{cache.connectionString}", apiEnv["ConnectionStrings__cache"]);
        Assert.Equal("{jwt-key.value}", apiEnv["Jwt__SigningKey"]);
        Assert.Equal("{api.bindings.http.url}", workerEnv["services__api__http__0"]);
        Assert.Equal("{postgres.connectionString};Database=db", db.Resource.ConnectionStringExpression.ValueExpression);
        Assert.Equal(
            "Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Username=postgres;Password={postgres-password.value}",
            postgres.Resource.ConnectionStringExpression.ValueExpression);
        Assert.Equal(
            "{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}",
            cache.Resource.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task AProjectListensOnItsTargetPortInRunModeAndDeclaresHttpPortsInAManifest()
    {
        var builder = TestAppHost.CreateBuilder();
        var api = builder.AddProject("api", "../Api/LearnApp.Api.csproj");
        TestAppHost.Allocate(api.Resource, "http", 5180, 40002);

        var run = await api.Resource.RunEnvironmentAsync();
        var manifest = await api.Resource.ManifestEnvironmentAsync();

        Assert.Equal("http://127.0.0.1:40002", run["ASPNETCORE_URLS"]);
        Assert.Equal("in_memory", run["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"]);
        Assert.False(manifest.ContainsKey("ASPNETCORE_URLS"));
        Assert.Equal("{api.bindings.http.targetPort}", manifest["HTTP_PORTS"]);
        Assert.Equal("true", manifest["ASPNETCORE_FORWARDEDHEADERS_ENABLED"]);
    }

    [Fact]
    public async Task AnHttpsEndpointIsServedAsPlainHttpInRunModeAndReferencedSo()
    {
        var builder = TestAppHost.CreateBuilder();
        var api = builder.AddProject("api", "../Api/LearnApp.Api.csproj").WithHttpsEndpoint();
        var web = builder.AddProject("web", "../Web/Web.csproj").WithReference(api);
        TestAppHost.Allocate(api.Resource, "http", 40010);
        TestAppHost.Allocate(api.Resource, "https", 40011);
        TestAppHost.Allocate(web.Resource, "http", 40012);

        var run = await api.Resource.RunEnvironmentAsync();
        var webRun = await web.Resource.RunEnvironmentAsync();

        Assert.Equal("https", api.Resource.GetEndpointAnnotations().Single(e => e.Name == "https").UriScheme);
        Assert.Equal("http://127.0.0.1:40010;http://127.0.0.1:40011", run["ASPNETCORE_URLS"]);
        Assert.Equal("http://127.0.0.1:40011", webRun["services__api__https__0"]);
        Assert.False(run.ContainsKey("HTTPS_PORTS"));
    }

    [Fact]
    public async Task AnNpmAppRunsItsScriptAndGetsItsPortFromTheNamedVariable()
    {
        var builder = TestAppHost.CreateBuilder();
        var frontend = builder.AddNpmApp("frontend", "../Frontend", "dev").WithHttpEndpoint(env: "PORT").WithExternalHttpEndpoints();
        TestAppHost.Allocate(frontend.Resource, "http", 5173);

        var run = await frontend.Resource.RunEnvironmentAsync();
        var manifest = await frontend.Resource.ManifestEnvironmentAsync();
        var args = await frontend.Resource.GetArgsAsync(builder.ExecutionContext);

        Assert.Equal("npm", frontend.Resource.Command);
        Assert.Equal(Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "../Frontend")), frontend.Resource.WorkingDirectory);
        Assert.Equal(["run", "dev"], args.Cast<string>());
        Assert.Equal("5173", run["PORT"]);
        Assert.Equal("{frontend.bindings.http.targetPort}", manifest["PORT"]);
        Assert.True(frontend.Resource.GetEndpointAnnotations().Single().IsExternal);
        Assert.Matches("^(development|production)$", run["NODE_ENV"]);
    }

    [Fact]
    public async Task EnvironmentAndArgumentsAreKeptInTheOrderGiven()
    {
        var builder = TestAppHost.CreateBuilder();
        var migrator = builder.AddProject("migrator", "../Api/LearnApp.Api.csproj")
            .WithArgs("migrate")
            .WithEnvironment("TASK_EXECUTOR", "queue")
            .WithEnvironment("TASK_EXECUTOR", "inprocess");

        var env = await migrator.Resource.ManifestEnvironmentAsync();
        var args = await migrator.Resource.GetArgsAsync(builder.ExecutionContext);

        Assert.Equal("inprocess", env["TASK_EXECUTOR"]);
        Assert.Equal(["migrate"], args.Cast<string>());
    }
}
