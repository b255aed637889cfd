// The worker serves only its health endpoints over HTTP, so the orchestrator, compose and Kubernetes can probe it.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
