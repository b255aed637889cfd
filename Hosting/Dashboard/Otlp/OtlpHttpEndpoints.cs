using System.IO.Compression;
using Google.Protobuf;
using LearnApp.Hosting.Dashboard.Otlp.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LearnApp.Hosting.Dashboard.Otlp;

/// <summary>
/// OTLP/HTTP with protobuf bodies (what the .NET exporter sends with <c>http/protobuf</c>): POST <c>/v1/traces</c>,
/// <c>/v1/logs</c>, <c>/v1/metrics</c>; the reply is the empty protobuf response. OTLP/JSON is refused with 415.
/// </summary>
internal static class OtlpHttpEndpoints
{
    private const string ProtobufContentType = "application/x-protobuf";

    public static IEndpointRouteBuilder MapOtlpHttp(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/traces", (HttpContext context, OtlpIngestion ingestion) =>
            HandleAsync(context, ExportTraceServiceRequest.Parser, ingestion.Ingest, new ExportTraceServiceResponse()));
        endpoints.MapPost("/v1/logs", (HttpContext context, OtlpIngestion ingestion) =>
            HandleAsync(context, ExportLogsServiceRequest.Parser, ingestion.Ingest, new ExportLogsServiceResponse()));
        endpoints.MapPost("/v1/metrics", (HttpContext context, OtlpIngestion ingestion) =>
            HandleAsync(context, ExportMetricsServiceRequest.Parser, ingestion.Ingest, new ExportMetricsServiceResponse()));
        return endpoints;
    }

    private static async Task<IResult> HandleAsync<TRequest>(HttpContext context, MessageParser<TRequest> parser, Action<TRequest> ingest, IMessage response)
        where TRequest : IMessage<TRequest>
    {
        var request = context.Request;
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), ProtobufContentType, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem($"Send OTLP as '{ProtobufContentType}' (http/protobuf) or over gRPC; '{request.ContentType}' is not accepted here.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported OTLP encoding");
        }
        TRequest message;
        try
        {
            using var buffer = new MemoryStream();
            if (request.Headers.ContentEncoding.ToString().Equals("gzip", StringComparison.OrdinalIgnoreCase))
            {
                await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
                await gzip.CopyToAsync(buffer, context.RequestAborted);
            }
            else
            {
                await request.Body.CopyToAsync(buffer, context.RequestAborted);
            }
            buffer.Position = 0;
            message = parser.ParseFrom(buffer);
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or InvalidDataException)
        {
            return TypedResults.Problem($"The body is not a valid OTLP export request ({exception.Message}).",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid OTLP payload");
        }
        ingest(message);
        return TypedResults.Bytes(response.ToByteArray(), ProtobufContentType);
    }
}
