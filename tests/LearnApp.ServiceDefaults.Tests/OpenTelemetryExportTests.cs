using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LearnApp.ServiceDefaults.Tests;

public sealed class OpenTelemetryExportTests
{
    [Fact]
    public async Task ServiceExportsSpansMetricsAndLogsToTheOtlpEndpointFromConfiguration()
    {
        // A real OTLP/HTTP receiver: it keeps every protobuf body per signal path.
        var received = new ConcurrentDictionary<string, ConcurrentQueue<byte[]>>();
        await using var collector = await TestWebApp.StartAsync(_ => { }, app =>
            app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                received.GetOrAdd(signal, _ => new()).Enqueue(body.ToArray());
                return Results.Bytes([], "application/x-protobuf");
            }));

        await using (var service = await TestWebApp.StartAsync(builder =>
            {
                builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address.ToString().TrimEnd('/');
                builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
                // The default 10 s export timeout was seen to expire on a heavily loaded 2-core machine.
                builder.Configuration["OTEL_EXPORTER_OTLP_TIMEOUT"] = "60000";
                builder.Configuration["OTEL_SERVICE_NAME"] = "otel-probe-service";
                builder.AddServiceDefaults();
            },
            app => app.MapGet("/study", (ILogger<OpenTelemetryExportTests> logger, IMeterFactory meters) =>
            {
                using var activity = LearnAppTelemetry.ActivitySource.StartActivity("grade-card");
                meters.Create(LearnAppTelemetry.MeterName).CreateCounter<long>("learnapp.test.reviews").Add(1);
                logger.LogInformation("Reviewed card {CardId}", 4711);
                return "ok";
            })))
        {
            using var client = new HttpClient { BaseAddress = service.Address };
            Assert.Equal("ok", await client.GetStringAsync(new Uri("/study", UriKind.Relative), TestContext.Current.CancellationToken));

            // The server span ends only after the response is on its way, so it can still be open when the client has
            // its answer; flush until it has reached the collector before shutting the host down.
            var tracing = service.Services.GetRequiredService<TracerProvider>();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            while (!ExportedSoFar(received, "traces").Contains("GET /study", StringComparison.Ordinal))
            {
                tracing.ForceFlush(1000);
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
        } // Disposing the host flushes the metric and log exporters.

        var traces = Decode(received, "traces");
        Assert.Contains("otel-probe-service", traces, StringComparison.Ordinal);
        Assert.Contains("grade-card", traces, StringComparison.Ordinal);            // LearnApp's ActivitySource
        Assert.Contains("GET /study", traces, StringComparison.Ordinal);            // ASP.NET Core instrumentation
        Assert.Contains("learnapp.test.reviews", Decode(received, "metrics"), StringComparison.Ordinal);
        Assert.Contains("Reviewed card 4711", Decode(received, "logs"), StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAnOtlpEndpointNoTelemetryPipelineIsBuilt()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        builder.AddServiceDefaults();
        using var host = builder.Build();

        // Nothing would read them: no tracer or meter provider listens, and no OpenTelemetry logger takes log entries.
        Assert.Null(host.Services.GetService<TracerProvider>());
        Assert.Null(host.Services.GetService<MeterProvider>());
        Assert.DoesNotContain(host.Services.GetServices<ILoggerProvider>(), provider => provider.GetType().FullName!.StartsWith("OpenTelemetry", StringComparison.Ordinal));
    }

    private static string ExportedSoFar(ConcurrentDictionary<string, ConcurrentQueue<byte[]>> received, string signal) =>
        received.TryGetValue(signal, out var bodies) ? string.Concat(bodies.Select(body => Encoding.UTF8.GetString(body))) : "";

    // OTLP is protobuf; span names, attribute values and resource attributes sit in it as plain UTF-8 strings.
    private static string Decode(ConcurrentDictionary<string, ConcurrentQueue<byte[]>> received, string signal) =>
        received.TryGetValue(signal, out var bodies)
            ? string.Concat(bodies.Select(body => Encoding.UTF8.GetString(body)))
            : throw new Xunit.Sdk.XunitException($"nothing was exported to /v1/{signal}");
}
