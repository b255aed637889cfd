using System.Diagnostics;
using System.Globalization;

// A tiny service the orchestrator tests run as a project resource. It reports who it is, what environment it got,
// and is healthy when TESTSERVICE_HEALTHY says so: "always" (default), "never", or "after:<ms>" since start.
if (args is ["exit", var code])
{
    Console.Error.WriteLine($"exiting with code {code} as asked");
    return int.Parse(code, CultureInfo.InvariantCulture);
}

var started = Stopwatch.StartNew();
var healthy = Environment.GetEnvironmentVariable("TESTSERVICE_HEALTHY") ?? "always";

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

app.MapGet("/health", () => healthy switch
{
    "never" => Results.StatusCode(503),
    _ when healthy.StartsWith("after:", StringComparison.Ordinal)
        && started.ElapsedMilliseconds < int.Parse(healthy[6..], CultureInfo.InvariantCulture) => Results.StatusCode(503),
    _ => Results.Text("Healthy"),
});
app.MapGet("/whoami", () => Results.Text(Environment.GetEnvironmentVariable("OTEL_RESOURCE_ATTRIBUTES") ?? ""));
app.MapGet("/env/{name}", (string name) =>
    Environment.GetEnvironmentVariable(name) is { } value ? Results.Text(value) : Results.NotFound());

Console.WriteLine("test service started");
app.Run();
return 0;
