using System.Diagnostics;
using System.Globalization;
using LearnApp.Hosting.Dashboard;
using LearnApp.Hosting.Dashboard.Otlp;
using LearnApp.Hosting.Dashboard.Telemetry;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

// The dashboard's OTLP receiver under the real .NET exporter, on 127.0.0.1 in this process:
//  1. spans/s and log records/s received over gRPC and HTTP/protobuf (batch exporter, as the services use it);
//  2. managed memory held by the telemetry store when its log and span buffers are full at the default limits.
// Usage: dotnet run -c Release --project bench/LearnApp.Bench.Telemetry [spans per case]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
var anyPort = new Uri("http://127.0.0.1:0");
const string Key = "bench-otlp-key";

Console.WriteLine($"OTLP receiver throughput, {count:N0} items per case (client and receiver share this machine's cores)");
foreach (var protocol in new[] { OtlpExportProtocol.Grpc, OtlpExportProtocol.HttpProtobuf })
{
    var store = new TelemetryStore(new TelemetryLimits { MaxSpanCount = count, MaxLogCount = count });
    await using var receiver = await OtlpReceiver.StartAsync(anyPort, anyPort, Key, store, CancellationToken.None);

    var name = $"LearnApp.Bench.{Guid.NewGuid():N}";
    using var source = new ActivitySource(name);
    var resource = ResourceBuilder.CreateEmpty().AddService("bench", serviceInstanceId: "bench-1");
    var stopwatch = Stopwatch.StartNew();
    using (var tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(name)
        .AddOtlpExporter(o => Configure(o, receiver, protocol, "/v1/traces", count)).Build())
    {
        for (var i = 0; i < count; i++)
        {
            using var activity = source.StartActivity("GET /api/v1/decks/{id}", ActivityKind.Server);
            activity?.SetTag("http.request.method", "GET").SetTag("url.path", "/api/v1/decks/42").SetTag("http.response.status_code", 200);
        }
        tracing.ForceFlush(120_000);
    }
    var spanSeconds = stopwatch.Elapsed.TotalSeconds;
    Report($"{Name(protocol)} spans", store.SpanCount, spanSeconds);

    stopwatch.Restart();
    using (var logging = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
    {
        o.SetResourceBuilder(resource);
        o.AddOtlpExporter((e, processor) =>
        {
            Configure(e, receiver, protocol, "/v1/logs", count);
            processor.BatchExportProcessorOptions.MaxQueueSize = count;
        });
    })))
    {
        var logger = logging.CreateLogger("LearnApp.Bench");
        var reviewed = LoggerMessage.Define<int, int, string>(LogLevel.Information, new EventId(1, "CardReviewed"), "Card {CardId} reviewed by {UserId} with grade {Grade}");
        for (var i = 0; i < count; i++)
        {
            reviewed(logger, i, 7, "good", null);
        }
    }
    Report($"{Name(protocol)} log records", store.LogCount, stopwatch.Elapsed.TotalSeconds);
}

Console.WriteLine();
Console.WriteLine("Store memory at the default limits (10,000 logs, 20,000 spans; 8 attributes each, 120-char messages)");
var limits = new TelemetryLimits();
var before = GC.GetTotalMemory(forceFullCollection: true);
var full = new TelemetryStore(limits);
var attributes = Enumerable.Range(0, 8).Select(i => new TelemetryKeyValue($"attribute.{i}", new string('v', 24) + i)).ToArray();
var start = DateTimeOffset.UtcNow;
// Twice the limit, so the rings are full and have evicted.
full.AddLogs(Enumerable.Range(0, 2 * limits.MaxLogCount).Select(i => new StructuredLogEntry(0, start, "api", "api-1", "LearnApp.Study", "Information", 9,
    $"Card {i} reviewed by 7 with grade good " + new string('x', 80), "Card {CardId} reviewed by {UserId} with grade {Grade}",
    $"{i:x32}", $"{i:x16}", [.. attributes])));
full.AddSpans(Enumerable.Range(0, 2 * limits.MaxSpanCount).Select(i => new TraceSpan($"{i / 4:x32}", $"{i:x16}", i % 4 == 0 ? null : $"{i - i % 4:x16}",
    "GET /api/v1/decks/{id}", "Server", "api", "api-1", "Microsoft.AspNetCore", start, start.AddMilliseconds(3), "Unset", null, [.. attributes], [])));
var after = GC.GetTotalMemory(forceFullCollection: true);
Console.WriteLine($"  logs kept {full.LogCount:N0}, spans kept {full.SpanCount:N0}: {(after - before) / 1024.0 / 1024.0:F1} MiB managed");
var timer = Stopwatch.StartNew();
var traces = full.GetTraces(limit: 200);
Console.WriteLine($"  trace list over {full.SpanCount:N0} spans ({traces.Count} shown): {timer.Elapsed.TotalMilliseconds:F0} ms");
GC.KeepAlive(full);

static void Configure(OtlpExporterOptions options, OtlpReceiver receiver, OtlpExportProtocol protocol, string signalPath, int queue)
{
    options.Protocol = protocol;
    options.Endpoint = protocol == OtlpExportProtocol.Grpc ? receiver.GrpcEndpoint : new Uri(receiver.HttpEndpoint, signalPath);
    options.Headers = $"{OtlpReceiver.ApiKeyHeaderName}={Key}";
    options.ExportProcessorType = ExportProcessorType.Batch;
    options.BatchExportProcessorOptions.MaxQueueSize = queue;
    options.BatchExportProcessorOptions.MaxExportBatchSize = 512;
    options.BatchExportProcessorOptions.ScheduledDelayMilliseconds = 100;
}

static string Name(OtlpExportProtocol protocol) => protocol == OtlpExportProtocol.Grpc ? "gRPC" : "HTTP/protobuf";

static void Report(string what, int received, double seconds) =>
    Console.WriteLine($"  {what,-28} {received,8:N0} received in {seconds,6:F2} s = {received / seconds,9:N0}/s");
