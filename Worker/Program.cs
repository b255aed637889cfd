// The queue worker: consumes the Redis job stream (TaskHostRole.Worker) and serves only /health and /alive over
// HTTP, so the orchestrator, compose and Kubernetes can probe it.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddLearnAppData();
builder.AddLearnAppTasks(TaskHostRole.Worker);

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
