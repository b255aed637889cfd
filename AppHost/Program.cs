using LearnApp.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
builder.AddComposePublishing();
builder.AddKubernetesPublishing();

if (builder.ResolveTopology() is not { } topology)
{
    return 1;
}

// Published with a generate rule, so azd and the compose .env make one instead of asking for it.
var jwtKey = builder.AddParameter("jwt-key", new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true);

if (topology == AppTopology.Single)
{
    // One process: the Api on SQLite with in-process tasks, serving the built SPA. The Api does not migrate on
    // start, so a one-off migrator creates (or updates) and seeds the SQLite file first.
    var singleMigrator = builder.AddProject<Projects.LearnApp_Api>("migrator")
        .WithArgs("migrate");

    builder.AddProject<Projects.LearnApp_Api>("api")
        .WithEnvironment("Jwt__SigningKey", jwtKey)
        .WaitForCompletion(singleMigrator)
        .WithEnvironment("TASK_EXECUTOR", "inprocess")
        .WithEnvironment("Frontend__DistPath", builder.FrontendDistPath())
        .WithHttpHealthCheck("/health")
        .WithExternalHttpEndpoints();

    builder.Build().Run();
    return Environment.ExitCode;
}

var scaled = topology == AppTopology.Scaled;
var taskExecutor = scaled ? "hybrid" : "inprocess";

// Named volumes, so published output is the same on every machine (the default name hashes the AppHost's path).
var postgres = builder.AddPostgres("postgres").WithDataVolume("learnapp-postgres-data");
var db = postgres.AddDatabase("db");
var cache = builder.AddRedis("cache").WithDataVolume("learnapp-cache-data");

var migrator = builder.AddProject<Projects.LearnApp_Api>("migrator")
    .WithArgs("migrate")
    .WithReference(db)
    .WaitFor(db);

var api = builder.AddProject<Projects.LearnApp_Api>("api")
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

    builder.AddProject<Projects.LearnApp_Api>("worker")
        .WithArgs("worker")
        .WithReplicas(builder.Configuration.GetReplicas("Scaled:WorkerReplicas", 1))
        .WithReference(db)
        .WithReference(cache)
        .WithEnvironment("TASK_EXECUTOR", taskExecutor)
        .WaitFor(cache)
        .WaitForCompletion(migrator)
        .WithHttpHealthCheck("/health")
        .WithDeploymentProfile("scaled");

    builder.AddProject<Projects.LearnApp_Api>("scheduler")
        .WithArgs("scheduler")
        .WithReference(db)
        .WithReference(cache)
        .WithEnvironment("TASK_EXECUTOR", taskExecutor)
        .WaitFor(cache)
        .WaitForCompletion(migrator)
        .WithHttpHealthCheck("/health")
        .WithDeploymentProfile("scaled");
}

if (builder.HasFrontend())
{
    builder.AddNpmApp("frontend", "../Frontend", "dev")
        .WithReference(api)
        .WaitFor(api)
        .WithHttpEndpoint(env: "PORT")
        .WithExternalHttpEndpoints()
        .PublishAsDockerFile();
}

builder.Build().Run();
return Environment.ExitCode;
