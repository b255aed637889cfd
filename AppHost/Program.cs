using LearnApp.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

if (builder.ResolveTopology() is not { } topology)
{
    return 1;
}

var jwtKey = builder.AddParameter("jwt-key", secret: true);

if (topology == AppTopology.Single)
{
    // One process: the Api on SQLite with in-process tasks, serving the built SPA. The Api does not migrate on
    // start, so a one-off migrator creates (or updates) and seeds the SQLite file first.
    var singleMigrator = builder.AddProject("migrator", "../Api/LearnApp.Api.csproj")
        .WithArgs("migrate");

    builder.AddProject("api", "../Api/LearnApp.Api.csproj")
        .WithEnvironment("Jwt__SigningKey", jwtKey)
        .WaitForCompletion(singleMigrator)
        .WithEnvironment("TASK_EXECUTOR", "inprocess")
        .WithEnvironment("Frontend__DistPath", builder.FrontendDistPath())
        .WithHttpHealthCheck("/health")
        .WithExternalHttpEndpoints();

    builder.Build().Run();
    return 0;
}

var scaled = topology == AppTopology.Scaled;
var taskExecutor = scaled ? "hybrid" : "inprocess";

var postgres = builder.AddPostgres("postgres").WithDataVolume();
var db = postgres.AddDatabase("db");
var cache = builder.AddRedis("cache").WithDataVolume();

var migrator = builder.AddProject("migrator", "../Api/LearnApp.Api.csproj")
    .WithArgs("migrate")
    .WithReference(db)
    .WaitFor(db);

var api = builder.AddProject("api", "../Api/LearnApp.Api.csproj")
    .WithReference(db)
    .WithReference(cache)
    .WithEnvironment("Jwt__SigningKey", jwtKey)
    .WithEnvironment("TASK_EXECUTOR", taskExecutor)
    .WaitFor(db)
    .WaitFor(cache)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

if (scaled)
{
    api.WithReplicas(builder.Configuration.GetReplicas("Scaled:ApiReplicas", 2));

    builder.AddProject("worker", "../Worker/LearnApp.Worker.csproj")
        .WithReplicas(builder.Configuration.GetReplicas("Scaled:WorkerReplicas", 1))
        .WithReference(db)
        .WithReference(cache)
        .WithEnvironment("TASK_EXECUTOR", taskExecutor)
        .WaitFor(cache)
        .WaitForCompletion(migrator)
        .WithHttpHealthCheck("/health");

    builder.AddProject("scheduler", "../Api/LearnApp.Api.csproj")
        .WithArgs("scheduler")
        .WithReference(db)
        .WithReference(cache)
        .WithEnvironment("TASK_EXECUTOR", taskExecutor)
        .WaitFor(cache)
        .WaitForCompletion(migrator);
}

if (builder.HasFrontend())
{
    builder.AddNpmApp("frontend", "../Frontend", "dev")
        .WithReference(api)
        .WaitFor(api)
        .WithHttpEndpoint(env: "PORT")
        .WithExternalHttpEndpoints();
}

builder.Build().Run();
return 0;
