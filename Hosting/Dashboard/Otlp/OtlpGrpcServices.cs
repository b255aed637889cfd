using Grpc.Core;
using LearnApp.Hosting.Dashboard.Otlp.Protocol;

namespace LearnApp.Hosting.Dashboard.Otlp;

/// <summary>OTLP/gRPC: <c>opentelemetry.proto.collector.trace.v1.TraceService/Export</c>.</summary>
internal sealed class OtlpTraceService(OtlpIngestion ingestion) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        ingestion.Ingest(request);
        return Task.FromResult(new ExportTraceServiceResponse());
    }
}

/// <summary>OTLP/gRPC: <c>opentelemetry.proto.collector.logs.v1.LogsService/Export</c>.</summary>
internal sealed class OtlpLogsService(OtlpIngestion ingestion) : LogsService.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
    {
        ingestion.Ingest(request);
        return Task.FromResult(new ExportLogsServiceResponse());
    }
}

/// <summary>OTLP/gRPC: <c>opentelemetry.proto.collector.metrics.v1.MetricsService/Export</c>.</summary>
internal sealed class OtlpMetricsService(OtlpIngestion ingestion) : MetricsService.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
    {
        ingestion.Ingest(request);
        return Task.FromResult(new ExportMetricsServiceResponse());
    }
}
