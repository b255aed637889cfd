namespace LearnApp.Hosting.Dashboard.Telemetry;

/// <summary>What a log query asks for; every filter is optional.</summary>
public sealed record LogQuery(string? Resource = null, string? MinimumLevel = null, string? Search = null, string? TraceId = null, int Limit = 500);

/// <summary>
/// The dashboard's telemetry, in memory and bounded: a ring of log entries, a ring of spans (traces are the kept spans
/// grouped by trace id) and, per instrument, a ring of samples. The oldest entries go first, as in Aspire's dashboard.
/// </summary>
public sealed class TelemetryStore(TelemetryLimits limits)
{
    private readonly Lock _logLock = new();
    private readonly Queue<StructuredLogEntry> _logs = new();
    private long _nextLogId;

    private readonly Lock _spanLock = new();
    private readonly Queue<TraceSpan> _spans = new();

    private readonly Lock _metricLock = new();
    private readonly Dictionary<InstrumentKey, InstrumentSeries> _instruments = [];

    private readonly Lock _resourceLock = new();
    private readonly HashSet<TelemetryResource> _resources = [];

    public TelemetryLimits Limits { get; } = limits;

    /// <summary>Instruments refused because <see cref="TelemetryLimits.MaxInstrumentCount"/> was reached.</summary>
    public long DroppedInstrumentCount { get; private set; }

    public int LogCount { get { lock (_logLock) { return _logs.Count; } } }

    public int SpanCount { get { lock (_spanLock) { return _spans.Count; } } }

    public int InstrumentCount { get { lock (_metricLock) { return _instruments.Count; } } }

    public void AddLogs(IEnumerable<StructuredLogEntry> entries)
    {
        lock (_logLock)
        {
            foreach (var entry in entries)
            {
                Remember(entry.Resource, entry.InstanceId);
                _logs.Enqueue(entry with { Id = ++_nextLogId });
                while (_logs.Count > Limits.MaxLogCount)
                {
                    _logs.Dequeue();
                }
            }
        }
    }

    public void AddSpans(IEnumerable<TraceSpan> spans)
    {
        lock (_spanLock)
        {
            foreach (var span in spans)
            {
                Remember(span.Resource, span.InstanceId);
                _spans.Enqueue(span);
                while (_spans.Count > Limits.MaxSpanCount)
                {
                    _spans.Dequeue();
                }
            }
        }
    }

    public void AddMetrics(IEnumerable<InstrumentExport> exports)
    {
        lock (_metricLock)
        {
            foreach (var export in exports)
            {
                Remember(export.Resource, export.InstanceId);
                var key = new InstrumentKey(export.Resource, export.InstanceId, export.Meter, export.Name);
                if (!_instruments.TryGetValue(key, out var series))
                {
                    if (_instruments.Count >= Limits.MaxInstrumentCount)
                    {
                        DroppedInstrumentCount++;
                        continue;
                    }
                    series = new InstrumentSeries(Limits.MaxMetricsCount);
                    _instruments[key] = series;
                }
                series.Add(export);
            }
        }
    }

    /// <summary>Every resource instance that sent anything, by name then instance.</summary>
    public IReadOnlyList<TelemetryResource> GetResources()
    {
        lock (_resourceLock)
        {
            return [.. _resources.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.InstanceId, StringComparer.Ordinal)];
        }
    }

    /// <summary>The newest matching entries (at most <see cref="LogQuery.Limit"/>), oldest first.</summary>
    public IReadOnlyList<StructuredLogEntry> GetLogs(LogQuery query)
    {
        var minimum = query.MinimumLevel is { Length: > 0 } level ? LogLevels.MinimumSeverity(level) : 0;
        StructuredLogEntry[] all;
        lock (_logLock)
        {
            all = [.. _logs];
        }
        return [.. all
            .Where(e => MatchesResource(e.Resource, e.InstanceId, query.Resource)
                && e.SeverityNumber >= minimum
                && (string.IsNullOrEmpty(query.TraceId) || string.Equals(e.TraceId, query.TraceId, StringComparison.OrdinalIgnoreCase))
                && (string.IsNullOrEmpty(query.Search)
                    || e.Message.Contains(query.Search, StringComparison.OrdinalIgnoreCase)
                    || e.Scope.Contains(query.Search, StringComparison.OrdinalIgnoreCase)
                    || e.Attributes.Any(a => a.Value.Contains(query.Search, StringComparison.OrdinalIgnoreCase))))
            .TakeLast(query.Limit)];
    }

    /// <summary>
    /// The newest traces first; with <paramref name="resource"/>, those it took part in; with <paramref name="search"/>,
    /// those with a span whose name or an attribute value (a URL path, a queue name) contains it.
    /// </summary>
    public IReadOnlyList<TraceSummary> GetTraces(string? resource = null, string? search = null, int limit = 200) =>
        [.. GroupTraces()
            .Where(t => (string.IsNullOrEmpty(resource) || t.Any(s => MatchesResource(s.Resource, s.InstanceId, resource)))
                && (string.IsNullOrEmpty(search) || t.Any(s => s.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
                    || s.Attributes.Any(a => a.Value.Contains(search, StringComparison.OrdinalIgnoreCase)))))
            .Select(Summarize)
            .OrderByDescending(t => t.StartTime)
            .Take(limit)];

    public TraceDetail? GetTrace(string traceId)
    {
        List<TraceSpan> spans;
        lock (_spanLock)
        {
            spans = [.. _spans.Where(s => string.Equals(s.TraceId, traceId, StringComparison.OrdinalIgnoreCase))];
        }
        return spans.Count == 0 ? null : new TraceDetail(Summarize(spans), OrderForWaterfall(spans));
    }

    public IReadOnlyList<InstrumentView> GetInstruments(string? resource = null)
    {
        lock (_metricLock)
        {
            return [.. _instruments
                .Where(i => MatchesResource(i.Key.Resource, i.Key.InstanceId, resource))
                .OrderBy(i => i.Key.Resource, StringComparer.Ordinal)
                .ThenBy(i => i.Key.InstanceId, StringComparer.Ordinal)
                .ThenBy(i => i.Key.Meter, StringComparer.Ordinal)
                .ThenBy(i => i.Key.Name, StringComparer.Ordinal)
                .Select(i => i.Value.ToView(i.Key.Resource, i.Key.InstanceId, i.Key.Meter, i.Key.Name))];
        }
    }

    private void Remember(string name, string instanceId)
    {
        lock (_resourceLock)
        {
            _resources.Add(new TelemetryResource(name, instanceId));
        }
    }

    private IEnumerable<List<TraceSpan>> GroupTraces()
    {
        TraceSpan[] all;
        lock (_spanLock)
        {
            all = [.. _spans];
        }
        return all.GroupBy(s => s.TraceId, StringComparer.Ordinal).Select(g => g.ToList());
    }

    private static bool MatchesResource(string name, string instanceId, string? filter) =>
        string.IsNullOrEmpty(filter) || name == filter || instanceId == filter;

    private static TraceSummary Summarize(List<TraceSpan> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        // The root is the span without a parent; while it has not arrived, the earliest span whose parent is missing.
        var root = spans.Where(s => s.ParentSpanId is null).MinBy(s => s.StartTime)
            ?? spans.Where(s => !ids.Contains(s.ParentSpanId!)).MinBy(s => s.StartTime)!;
        var start = spans.Min(s => s.StartTime);
        var end = spans.Max(s => s.EndTime);
        return new TraceSummary(
            root.TraceId,
            root.Name,
            root.Resource,
            [.. spans.OrderBy(s => s.StartTime).Select(s => s.Resource).Distinct(StringComparer.Ordinal)],
            start,
            (end - start).TotalMilliseconds,
            spans.Count,
            spans.Any(s => s.Status == "Error"));
    }

    /// <summary>Depth-first from the roots, children by start time: the order a waterfall draws them.</summary>
    private static List<TraceSpan> OrderForWaterfall(List<TraceSpan> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var children = spans.Where(s => s.ParentSpanId is { } p && ids.Contains(p))
            .GroupBy(s => s.ParentSpanId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartTime).ToList(), StringComparer.Ordinal);
        var ordered = new List<TraceSpan>(spans.Count);
        var stack = new Stack<TraceSpan>(spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).OrderByDescending(s => s.StartTime));
        while (stack.TryPop(out var span))
        {
            ordered.Add(span);
            if (children.TryGetValue(span.SpanId, out var kids))
            {
                for (var i = kids.Count - 1; i >= 0; i--)
                {
                    stack.Push(kids[i]);
                }
            }
        }
        return ordered;
    }

    private readonly record struct InstrumentKey(string Resource, string InstanceId, string Meter, string Name);
}
