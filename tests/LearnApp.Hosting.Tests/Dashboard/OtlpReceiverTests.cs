using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using LearnApp.Hosting.Dashboard;
using LearnApp.Hosting.Dashboard.Otlp;
using LearnApp.Hosting.Dashboard.Telemetry;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LearnApp.Hosting.Tests.Dashboard;

/// <summary>The receiver against what the real .NET OpenTelemetry exporter sends, over both OTLP transports.</summary>
public sealed class OtlpReceiverTests
{
    private const string ApiKey = "test-otlp-key-93c1";
    private static readonly Uri s_anyPort = new("http://127.0.0.1:0");

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task SpansLogsAndMetricsFromTheRealExporterAreDecodedWithTheirLinksLevelsAndValues(OtlpExportProtocol protocol)
    {
        var store = new TelemetryStore(new TelemetryLimits());
        await using var receiver = await OtlpReceiver.StartAsync(s_anyPort, s_anyPort, ApiKey, store, TestContext.Current.CancellationToken);
        var name = $"LearnApp.Tests.{Guid.NewGuid():N}";
        using var source = new ActivitySource(name);
        using var meter = new Meter(name);
        var resource = ResourceBuilder.CreateEmpty().AddService("api", serviceInstanceId: "api-x1");

        using (var tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(name)
            .AddOtlpExporter(o => Configure(o, receiver, protocol, "/v1/traces")).Build())
        using (var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(name)
            .AddOtlpExporter(o => Configure(o, receiver, protocol, "/v1/metrics")).Build())
        using (var logging = LoggerFactory.Create(b => b.AddOpenTelemetry(o => o.SetResourceBuilder(resource)
            .AddOtlpExporter(e => Configure(e, receiver, protocol, "/v1/logs")))))
        {
            var reviews = meter.CreateCounter<long>("learnapp.reviews");
            var duration = meter.CreateHistogram<double>("learnapp.review.duration", unit: "ms");
            using (var parent = source.StartActivity("POST /api/v1/study", ActivityKind.Server))
            {
                parent!.SetTag("learnapp.deck", 42);
                using (var child = source.StartActivity("redis GET", ActivityKind.Client))
                {
                    child!.SetStatus(ActivityStatusCode.Error, "timeout");
                }
                logging.CreateLogger("LearnApp.Study").LogWarning("Card {CardId} reviewed by {User}", 7, "ana");
            }
            reviews.Add(2, new KeyValuePair<string, object?>("grade", "good"));
            reviews.Add(1, new KeyValuePair<string, object?>("grade", "again"));
            duration.Record(12.5);
            duration.Record(7.5);

            // ForceFlush returns once the receiver answered the export.
            Assert.True(tracing.ForceFlush(10_000));
            Assert.True(metrics.ForceFlush(10_000));
        }

        var trace = Assert.Single(store.GetTraces());
        Assert.Equal(("POST /api/v1/study", "api", 2, true), (trace.RootName, trace.RootResource, trace.SpanCount, trace.HasError));
        var spans = store.GetTrace(trace.TraceId)!.Spans;
        Assert.Equal(["POST /api/v1/study", "redis GET"], spans.Select(s => s.Name));
        Assert.Equal(spans[0].SpanId, spans[1].ParentSpanId);
        Assert.Null(spans[0].ParentSpanId);
        Assert.Equal(("Server", "Client"), (spans[0].Kind, spans[1].Kind));
        Assert.Equal(("Error", "timeout"), (spans[1].Status, spans[1].StatusMessage));
        Assert.Equal(("api", "api-x1", name), (spans[0].Resource, spans[0].InstanceId, spans[0].Scope));
        Assert.Contains(new TelemetryKeyValue("learnapp.deck", "42"), spans[0].Attributes);

        var log = Assert.Single(store.GetLogs(new LogQuery()));
        Assert.Equal(("Warning", "LearnApp.Study", "api-x1"), (log.Level, log.Scope, log.InstanceId));
        Assert.Equal("Card 7 reviewed by ana", log.Message);
        Assert.Equal("Card {CardId} reviewed by {User}", log.Template);
        Assert.Equal((trace.TraceId, spans[0].SpanId), (log.TraceId, log.SpanId));
        Assert.Contains(new TelemetryKeyValue("User", "ana"), log.Attributes);
        Assert.Single(store.GetLogs(new LogQuery(TraceId: trace.TraceId, MinimumLevel: "Warning")));
        Assert.Empty(store.GetLogs(new LogQuery(MinimumLevel: "Error")));

        var instruments = store.GetInstruments("api");
        var counter = Assert.Single(instruments, i => i.Name == "learnapp.reviews");
        Assert.Equal(("Sum", true, name), (counter.Kind, counter.IsMonotonic, counter.Meter));
        Assert.Equal(2, counter.Latest.Count);
        Assert.Equal(3, counter.Latest.Sum(p => p.Value));
        Assert.Equal(2, Assert.Single(counter.Latest, p => p.Attributes.Contains(new TelemetryKeyValue("grade", "good"))).Value);
        var histogram = Assert.Single(instruments, i => i.Name == "learnapp.review.duration");
        var point = Assert.Single(histogram.Latest);
        Assert.Equal(("Histogram", "ms"), (histogram.Kind, histogram.Unit));
        Assert.Equal((2UL, 20.0, 7.5, 12.5), (point.Count, point.Sum, point.Min, point.Max));
    }

    [Fact]
    public async Task ExportsWithoutTheApiKeyAreRefusedAndBadPayloadsGetAClearError()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        await using var receiver = await OtlpReceiver.StartAsync(s_anyPort, s_anyPort, ApiKey, store, TestContext.Current.CancellationToken);
        var name = $"LearnApp.Tests.{Guid.NewGuid():N}";
        using var source = new ActivitySource(name);

        // The simple processor exports as each span ends; the third exporter has the key, as a control.
        foreach (var (protocol, header, spanName) in new[]
        {
            (OtlpExportProtocol.Grpc, "x-otlp-api-key=wrong-key", "refused over gRPC"),
            (OtlpExportProtocol.HttpProtobuf, "other-header=1", "refused over HTTP"),
            (OtlpExportProtocol.HttpProtobuf, $"x-otlp-api-key={ApiKey}", "accepted"),
        })
        {
            using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(name)
                .AddOtlpExporter(o =>
                {
                    Configure(o, receiver, protocol, "/v1/traces");
                    o.Headers = header;
                }).Build();
            source.StartActivity(spanName)?.Dispose();
        }
        Assert.Equal("accepted", Assert.Single(store.GetTraces()).RootName);

        using var http = new HttpClient { BaseAddress = receiver.HttpEndpoint };
        var cancellationToken = TestContext.Current.CancellationToken;
        using var noKey = new ByteArrayContent([]);
        noKey.Headers.ContentType = new("application/x-protobuf");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/v1/logs", noKey, cancellationToken)).StatusCode);

        http.DefaultRequestHeaders.Add(OtlpReceiver.ApiKeyHeaderName, ApiKey);
        using var json = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await http.PostAsync("/v1/logs", json, cancellationToken)).StatusCode);
        using var garbage = new ByteArrayContent([0x0a, 0xff, 0xff, 0xff]);
        garbage.Headers.ContentType = new("application/x-protobuf");
        var bad = await http.PostAsync("/v1/traces", garbage, cancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("not a valid OTLP export request", await bad.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
        using var empty = new ByteArrayContent([]);
        empty.Headers.ContentType = new("application/x-protobuf");
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/v1/metrics", empty, cancellationToken)).StatusCode);
    }

    private static void Configure(OtlpExporterOptions options, OtlpReceiver receiver, OtlpExportProtocol protocol, string signalPath)
    {
        options.Protocol = protocol;
        // Set in code, the HTTP endpoint is the signal's full URL; the exporter appends the path only to the env variable.
        options.Endpoint = protocol == OtlpExportProtocol.Grpc ? receiver.GrpcEndpoint : new Uri(receiver.HttpEndpoint, signalPath);
        options.Headers = $"{OtlpReceiver.ApiKeyHeaderName}={ApiKey}";
        options.ExportProcessorType = ExportProcessorType.Simple;
    }
}
