using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Collections;
using LearnApp.Hosting.Dashboard.Otlp.Protocol;
using LearnApp.Hosting.Dashboard.Telemetry;

namespace LearnApp.Hosting.Dashboard.Otlp;

/// <summary>Turns OTLP export requests into the dashboard's plain records, applying the attribute limits.</summary>
internal sealed partial class OtlpDecoder(TelemetryLimits limits)
{
    /// <summary>Where Microsoft.Extensions.Logging puts the message template.</summary>
    private const string OriginalFormatKey = "{OriginalFormat}";

    private static readonly string[] s_spanKinds = ["Unspecified", "Internal", "Server", "Client", "Producer", "Consumer"];

    public List<StructuredLogEntry> Decode(ExportLogsServiceRequest request)
    {
        var entries = new List<StructuredLogEntry>();
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var (name, instanceId) = Identify(resourceLogs.Resource);
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                var scope = scopeLogs.Scope?.Name ?? "";
                foreach (var record in scopeLogs.LogRecords)
                {
                    var attributes = Attributes(record.Attributes, out var template);
                    var body = record.Body is null ? "" : Text(record.Body);
                    template ??= body.Contains('{', StringComparison.Ordinal) ? body : null;
                    var time = record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano;
                    entries.Add(new StructuredLogEntry(
                        0,
                        ToTime(time),
                        name,
                        instanceId,
                        scope,
                        record.SeverityText is { Length: > 0 } text ? text : LogLevels.FromSeverityNumber(record.SeverityNumber),
                        record.SeverityNumber,
                        Limit(template is not null && body == template ? Render(template, attributes) : body),
                        template,
                        Id(record.TraceId),
                        Id(record.SpanId),
                        attributes));
                }
            }
        }
        return entries;
    }

    public List<TraceSpan> Decode(ExportTraceServiceRequest request)
    {
        var spans = new List<TraceSpan>();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var (name, instanceId) = Identify(resourceSpans.Resource);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = scopeSpans.Scope?.Name ?? "";
                foreach (var span in scopeSpans.Spans)
                {
                    spans.Add(new TraceSpan(
                        Id(span.TraceId) ?? "",
                        Id(span.SpanId) ?? "",
                        Id(span.ParentSpanId),
                        span.Name,
                        span.Kind >= 0 && span.Kind < s_spanKinds.Length ? s_spanKinds[span.Kind] : "Unspecified",
                        name,
                        instanceId,
                        scope,
                        ToTime(span.StartTimeUnixNano),
                        ToTime(Math.Max(span.EndTimeUnixNano, span.StartTimeUnixNano)),
                        span.Status?.Code switch { 1 => "Ok", 2 => "Error", _ => "Unset" },
                        span.Status?.Message is { Length: > 0 } message ? Limit(message) : null,
                        Attributes(span.Attributes, out _),
                        [.. span.Events.Select(e => new SpanEvent(e.Name, ToTime(e.TimeUnixNano), Attributes(e.Attributes, out _)))]));
                }
            }
        }
        return spans;
    }

    public List<InstrumentExport> Decode(ExportMetricsServiceRequest request)
    {
        var exports = new List<InstrumentExport>();
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var (name, instanceId) = Identify(resourceMetrics.Resource);
            foreach (var scopeMetrics in resourceMetrics.ScopeMetrics)
            {
                var meter = scopeMetrics.Scope?.Name ?? "";
                foreach (var metric in scopeMetrics.Metrics)
                {
                    if (Decode(metric) is not { } decoded)
                    {
                        continue;
                    }
                    var (kind, monotonic, temporality, points, time) = decoded;
                    exports.Add(new InstrumentExport(name, instanceId, meter, metric.Name, metric.Description, metric.Unit,
                        kind, monotonic, temporality, time == 0 ? DateTimeOffset.UtcNow : ToTime(time), points));
                }
            }
        }
        return exports;
    }

    private (string Kind, bool Monotonic, string Temporality, List<MetricDataPoint> Points, ulong Time)? Decode(Metric metric)
    {
        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                return ("Gauge", false, "Unspecified", Numbers(metric.Gauge.DataPoints), metric.Gauge.DataPoints.Select(p => p.TimeUnixNano).DefaultIfEmpty().Max());
            case Metric.DataOneofCase.Sum:
                return ("Sum", metric.Sum.IsMonotonic, Temporality(metric.Sum.AggregationTemporality), Numbers(metric.Sum.DataPoints),
                    metric.Sum.DataPoints.Select(p => p.TimeUnixNano).DefaultIfEmpty().Max());
            case Metric.DataOneofCase.Histogram:
                return ("Histogram", true, Temporality(metric.Histogram.AggregationTemporality),
                    [.. metric.Histogram.DataPoints.Select(p => Histogram(p.Attributes, p.Count, p.HasSum ? p.Sum : null, p.HasMin ? p.Min : null, p.HasMax ? p.Max : null))],
                    metric.Histogram.DataPoints.Select(p => p.TimeUnixNano).DefaultIfEmpty().Max());
            case Metric.DataOneofCase.ExponentialHistogram:
                return ("Histogram", true, Temporality(metric.ExponentialHistogram.AggregationTemporality),
                    [.. metric.ExponentialHistogram.DataPoints.Select(p => Histogram(p.Attributes, p.Count, p.HasSum ? p.Sum : null, p.HasMin ? p.Min : null, p.HasMax ? p.Max : null))],
                    metric.ExponentialHistogram.DataPoints.Select(p => p.TimeUnixNano).DefaultIfEmpty().Max());
            default:
                // Summaries (not produced by .NET) and unknown kinds are skipped.
                return null;
        }
    }

    private List<MetricDataPoint> Numbers(RepeatedField<NumberDataPoint> points) =>
        [.. points.Select(p => new MetricDataPoint(Attributes(p.Attributes, out _),
            p.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? p.AsInt : p.AsDouble, null, null, null, null))];

    private MetricDataPoint Histogram(RepeatedField<KeyValue> attributes, ulong count, double? sum, double? min, double? max) =>
        new(Attributes(attributes, out _), count == 0 ? 0 : (sum ?? 0) / count, count, sum, min, max);

    private static string Temporality(int value) => value switch { 1 => "Delta", 2 => "Cumulative", _ => "Unspecified" };

    /// <summary>OTLP's <c>service.name</c> and <c>service.instance.id</c>; without an instance id, the name stands for it.</summary>
    private static (string Name, string InstanceId) Identify(Resource? resource)
    {
        string? name = null, instanceId = null;
        foreach (var attribute in resource?.Attributes ?? [])
        {
            if (attribute.Key == "service.name")
            {
                name = Text(attribute.Value);
            }
            else if (attribute.Key == "service.instance.id")
            {
                instanceId = Text(attribute.Value);
            }
        }
        name = string.IsNullOrEmpty(name) ? "unknown_service" : name;
        return (name, string.IsNullOrEmpty(instanceId) ? name : instanceId);
    }

    private List<TelemetryKeyValue> Attributes(RepeatedField<KeyValue> source, out string? template)
    {
        template = null;
        var attributes = new List<TelemetryKeyValue>(Math.Min(source.Count, limits.MaxAttributeCount));
        foreach (var attribute in source)
        {
            if (attribute.Key == OriginalFormatKey)
            {
                template = Text(attribute.Value);
                continue;
            }
            if (attributes.Count < limits.MaxAttributeCount)
            {
                attributes.Add(new TelemetryKeyValue(attribute.Key, Limit(Text(attribute.Value))));
            }
        }
        return attributes;
    }

    private string Limit(string value) => value.Length <= limits.MaxAttributeLength ? value : value[..limits.MaxAttributeLength] + "…";

    /// <summary>Fills <c>{Name}</c> (and <c>{Name:format}</c>) holes of a message template from the attributes.</summary>
    internal static string Render(string template, IReadOnlyList<TelemetryKeyValue> attributes) =>
        TemplateHole().Replace(template, match =>
            attributes.FirstOrDefault(a => a.Key == match.Groups["name"].Value) is { } attribute ? attribute.Value : match.Value);

    internal static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
        AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(", ", value.ArrayValue.Values.Select(Text)) + "]",
        AnyValue.ValueOneofCase.KvlistValue => "{" + string.Join(", ", value.KvlistValue.Values.Select(kv => $"{kv.Key}: {Text(kv.Value)}")) + "}",
        _ => "",
    };

    private static string? Id(ByteString bytes) => bytes.IsEmpty || bytes.Span.IndexOfAnyExcept((byte)0) < 0 ? null : Convert.ToHexStringLower(bytes.Span);

    private static DateTimeOffset ToTime(ulong unixNanos) => DateTimeOffset.UnixEpoch.AddTicks((long)(unixNanos / 100));

    [GeneratedRegex(@"\{(?<name>[^{}:,]+)(?:[,:][^{}]*)?\}")]
    private static partial Regex TemplateHole();
}
