// An AppHost with one of everything, for the teardown tests: they read the PIDs it prints, then SIGTERM or SIGKILL it.
var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var db = postgres.AddDatabase("db");
var cache = builder.AddRedis("cache");

var service = builder.AddProject("service", "../LearnApp.Hosting.TestService/LearnApp.Hosting.TestService.csproj")
    .WithReplicas(2)
    .WithReference(db)
    .WithReference(cache)
    .WaitFor(db)
    .WaitFor(cache)
    .WithHttpHealthCheck("/health");

builder.AddExecutable("sleeper", "/bin/sh", ".", "-c", "echo sleeping; exec sleep 600")
    .WithReference(service)
    .WaitFor(service);

builder.Build().Run();
