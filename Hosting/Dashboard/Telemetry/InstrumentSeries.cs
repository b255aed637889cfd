namespace LearnApp.Hosting.Dashboard.Telemetry;

/// <summary>One instrument's data points from one OTLP export of one resource instance.</summary>
public sealed record InstrumentExport(
    string Resource,
    string InstanceId,
    string Meter,
    string Name,
    string Description,
    string Unit,
    string Kind,
    bool IsMonotonic,
    string Temporality,
    DateTimeOffset Timestamp,
    IReadOnlyList<MetricDataPoint> Points);

/// <summary>The kept samples of one instrument (a ring) and its latest data points. Not thread-safe: the store locks.</summary>
internal sealed class InstrumentSeries(int capacity)
{
    private readonly Queue<MetricSample> _samples = new();
    private InstrumentExport? _latest;

    public void Add(InstrumentExport export)
    {
        _latest = export;
        var isHistogram = export.Kind == "Histogram";
        var sample = new MetricSample(
            export.Timestamp,
            export.Points.Sum(p => isHistogram ? p.Sum ?? 0 : p.Value),
            isHistogram ? export.Points.Aggregate(0UL, (total, p) => total + (p.Count ?? 0)) : null);
        _samples.Enqueue(sample);
        while (_samples.Count > capacity)
        {
            _samples.Dequeue();
        }
    }

    public InstrumentView ToView(string resource, string instanceId, string meter, string name)
    {
        var latest = _latest!;
        var samples = _samples.ToArray();
        (string Label, List<ChartPoint> Chart, List<ChartPoint> Mean) chart = latest.Kind switch
        {
            "Histogram" => ("per second", Rates(samples, latest.Temporality, s => s.Count ?? 0), Means(samples, latest.Temporality)),
            "Sum" when latest.IsMonotonic => ("per second", Rates(samples, latest.Temporality, s => s.Value), []),
            _ => ("value", [.. samples.Select(s => new ChartPoint(s.Timestamp, s.Value))], []),
        };
        return new InstrumentView(resource, instanceId, meter, name, latest.Description, latest.Unit, latest.Kind, latest.IsMonotonic,
            latest.Temporality, latest.Timestamp, latest.Points, chart.Label, chart.Chart, chart.Mean);
    }

    /// <summary>Change per second between exports; a cumulative value that drops (a restart) starts over.</summary>
    private static List<ChartPoint> Rates(MetricSample[] samples, string temporality, Func<MetricSample, double> value)
    {
        var points = new List<ChartPoint>();
        for (var i = 1; i < samples.Length; i++)
        {
            var seconds = (samples[i].Timestamp - samples[i - 1].Timestamp).TotalSeconds;
            var change = temporality == "Delta" ? value(samples[i]) : value(samples[i]) - value(samples[i - 1]);
            if (seconds > 0 && change >= 0)
            {
                points.Add(new ChartPoint(samples[i].Timestamp, change / seconds));
            }
        }
        return points;
    }

    /// <summary>Mean of what was recorded in each interval (for request durations: the mean latency).</summary>
    private static List<ChartPoint> Means(MetricSample[] samples, string temporality)
    {
        var points = new List<ChartPoint>();
        for (var i = temporality == "Delta" ? 0 : 1; i < samples.Length; i++)
        {
            var (sum, count) = temporality == "Delta"
                ? (samples[i].Value, (double)(samples[i].Count ?? 0))
                : (samples[i].Value - samples[i - 1].Value, (double)(samples[i].Count ?? 0) - (samples[i - 1].Count ?? 0));
            if (count > 0)
            {
                points.Add(new ChartPoint(samples[i].Timestamp, sum / count));
            }
        }
        return points;
    }
}
