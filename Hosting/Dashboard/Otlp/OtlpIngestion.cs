using LearnApp.Hosting.Dashboard.Otlp.Protocol;
using LearnApp.Hosting.Dashboard.Telemetry;

namespace LearnApp.Hosting.Dashboard.Otlp;

/// <summary>The one path every export takes, whichever protocol brought it: decode, then store.</summary>
internal sealed class OtlpIngestion(TelemetryStore store)
{
    private readonly OtlpDecoder _decoder = new(store.Limits);

    public void Ingest(ExportLogsServiceRequest request) => store.AddLogs(_decoder.Decode(request));

    public void Ingest(ExportTraceServiceRequest request) => store.AddSpans(_decoder.Decode(request));

    public void Ingest(ExportMetricsServiceRequest request) => store.AddMetrics(_decoder.Decode(request));
}
