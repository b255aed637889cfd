using LearnApp.Hosting.Dashboard;
using LearnApp.Hosting.Dashboard.Telemetry;

namespace LearnApp.Hosting.Tests.Dashboard;

public sealed class TelemetryStoreTests
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 23, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EachBufferKeepsOnlyItsNewestEntriesUpToItsLimit()
    {
        var store = new TelemetryStore(new TelemetryLimits { MaxLogCount = 3, MaxSpanCount = 4, MaxMetricsCount = 5, MaxInstrumentCount = 2 });

        store.AddLogs(Enumerable.Range(1, 10).Select(i => Log($"message {i}")));
        store.AddSpans(Enumerable.Range(1, 10).Select(i => Span($"trace{i:D2}", $"span {i}", s_start.AddSeconds(i))));
        for (var i = 1; i <= 10; i++)
        {
            store.AddMetrics([Counter("requests", s_start.AddSeconds(i), 10 * i), Counter("errors", s_start.AddSeconds(i), i), Counter($"extra{i}", s_start.AddSeconds(i), 1)]);
        }

        Assert.Equal(["message 8", "message 9", "message 10"], store.GetLogs(new LogQuery()).Select(l => l.Message));
        Assert.Equal([8L, 9L, 10L], store.GetLogs(new LogQuery()).Select(l => l.Id));
        Assert.Equal(["span 10", "span 9", "span 8", "span 7"], store.GetTraces().Select(t => t.RootName));
        Assert.Equal(2, store.InstrumentCount);
        Assert.Equal(10, store.DroppedInstrumentCount);
        var requests = Assert.Single(store.GetInstruments(), i => i.Name == "requests");
        // Five samples kept (6..10 s), so four rates between them: 10 more requests each second.
        Assert.Equal([10.0, 10.0, 10.0, 10.0], requests.Chart.Select(p => p.Value));
        Assert.Equal(s_start.AddSeconds(7), requests.Chart[0].Timestamp);
    }

    [Fact]
    public void AHistogramChartsItsRequestRateAndTheMeanOfEachInterval()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        // Cumulative: 10 requests taking 100 ms in all, then 30 more taking 900 ms in all, two seconds later.
        store.AddMetrics([Histogram(s_start, count: 10, sum: 100), Histogram(s_start.AddSeconds(2), count: 40, sum: 1000)]);

        var view = Assert.Single(store.GetInstruments());
        Assert.Equal([15.0], view.Chart.Select(p => p.Value));
        Assert.Equal([30.0], view.MeanChart.Select(p => p.Value));
    }

    [Fact]
    public void TracesGroupSpansAcrossResourcesAndOrderThemParentBeforeChild()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        store.AddSpans([
            Span("t1", "XREADGROUP", s_start.AddMilliseconds(30), resource: "worker", id: "c2", parent: "c1"),
            Span("t1", "GET /api/v1/decks", s_start, resource: "api", id: "root"),
            Span("t1", "XADD", s_start.AddMilliseconds(10), resource: "api", id: "c1", parent: "root"),
        ]);

        var trace = Assert.Single(store.GetTraces(resource: "worker"));
        Assert.Equal(("GET /api/v1/decks", 3), (trace.RootName, trace.SpanCount));
        Assert.Equal(["api", "worker"], trace.Resources);
        Assert.Equal(["root", "c1", "c2"], store.GetTrace("t1")!.Spans.Select(s => s.SpanId));
        Assert.Null(store.GetTrace("t2"));
    }

    private static StructuredLogEntry Log(string message) =>
        new(0, s_start, "api", "api-1", "Tests", "Information", 9, message, null, null, null, []);

    private static TraceSpan Span(string traceId, string name, DateTimeOffset start, string resource = "api", string? id = null, string? parent = null) =>
        new(traceId, id ?? name, parent, name, "Server", resource, resource + "-1", "Tests", start, start.AddMilliseconds(5), "Unset", null, [], []);

    private static InstrumentExport Counter(string name, DateTimeOffset time, double value) =>
        new("api", "api-1", "LearnApp", name, "", "", "Sum", true, "Cumulative", time, [new MetricDataPoint([], value, null, null, null, null)]);

    private static InstrumentExport Histogram(DateTimeOffset time, ulong count, double sum) =>
        new("api", "api-1", "Microsoft.AspNetCore.Hosting", "http.server.request.duration", "", "ms", "Histogram", true, "Cumulative", time,
            [new MetricDataPoint([], sum / count, count, sum, null, null)]);
}
