namespace LearnApp.Hosting.Dashboard.Telemetry;

/// <summary>An attribute with its value rendered as text (arrays and maps as JSON-like text).</summary>
public sealed record TelemetryKeyValue(string Key, string Value);

/// <summary>Who sent a signal: OTLP's <c>service.name</c> (the resource name) and <c>service.instance.id</c> (the replica).</summary>
public sealed record TelemetryResource(string Name, string InstanceId);

/// <summary>One OTLP log record, decoded.</summary>
public sealed record StructuredLogEntry(
    long Id,
    DateTimeOffset Timestamp,
    string Resource,
    string InstanceId,
    string Scope,
    string Level,
    int SeverityNumber,
    string Message,
    string? Template,
    string? TraceId,
    string? SpanId,
    IReadOnlyList<TelemetryKeyValue> Attributes);

public sealed record SpanEvent(string Name, DateTimeOffset Timestamp, IReadOnlyList<TelemetryKeyValue> Attributes);

/// <summary>One OTLP span, decoded. Ids are lower-case hex, as W3C trace context writes them.</summary>
public sealed record TraceSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    string Resource,
    string InstanceId,
    string Scope,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime,
    string Status,
    string? StatusMessage,
    IReadOnlyList<TelemetryKeyValue> Attributes,
    IReadOnlyList<SpanEvent> Events)
{
    public double DurationMs => (EndTime - StartTime).TotalMilliseconds;
}

/// <summary>A trace in the list: its root (or earliest) span, who took part, how long, whether anything failed.</summary>
public sealed record TraceSummary(
    string TraceId,
    string RootName,
    string RootResource,
    IReadOnlyList<string> Resources,
    DateTimeOffset StartTime,
    double DurationMs,
    int SpanCount,
    bool HasError);

/// <summary>Every kept span of a trace, parents before children, for a waterfall.</summary>
public sealed record TraceDetail(TraceSummary Summary, IReadOnlyList<TraceSpan> Spans);

/// <summary>One data point of the last export: its attributes and value (histograms: count, sum, min, max).</summary>
public sealed record MetricDataPoint(
    IReadOnlyList<TelemetryKeyValue> Attributes,
    double Value,
    ulong? Count,
    double? Sum,
    double? Min,
    double? Max);

/// <summary>One export of an instrument summed over its attribute sets (histograms: total count and sum).</summary>
public sealed record MetricSample(DateTimeOffset Timestamp, double Value, ulong? Count);

/// <summary>A point of a chart: a rate, a mean or a plain value, depending on the instrument.</summary>
public sealed record ChartPoint(DateTimeOffset Timestamp, double Value);

/// <summary>
/// An instrument of one resource instance: the latest data points and a small chart. Monotonic sums chart their
/// rate per second; histograms chart their rate and their mean per interval; gauges and other sums their value.
/// </summary>
public sealed record InstrumentView(
    string Resource,
    string InstanceId,
    string Meter,
    string Name,
    string Description,
    string Unit,
    string Kind,
    bool IsMonotonic,
    string Temporality,
    DateTimeOffset LastUpdated,
    IReadOnlyList<MetricDataPoint> Latest,
    string ChartLabel,
    IReadOnlyList<ChartPoint> Chart,
    IReadOnlyList<ChartPoint> MeanChart);
