using LearnApp.Hosting.Dashboard.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace LearnApp.Hosting.Dashboard;

/// <summary>The JSON API behind the telemetry views: structured logs, traces and metrics the OTLP receiver kept.</summary>
internal static class DashboardTelemetryApi
{
    private const int MaxLimit = 10_000;

    public static RouteGroupBuilder MapTelemetryApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/telemetry");
        api.MapGet("/resources", (TelemetryStore store) => TypedResults.Ok(store.GetResources()));
        api.MapGet("/logs", GetLogs);
        api.MapGet("/traces", GetTraces);
        api.MapGet("/traces/{traceId}", GetTrace);
        api.MapGet("/metrics", (TelemetryStore store, [FromQuery] string? resource) => TypedResults.Ok(store.GetInstruments(resource)));
        return api;
    }

    private static Results<Ok<IReadOnlyList<StructuredLogEntry>>, ProblemHttpResult> GetLogs(
        TelemetryStore store,
        [FromQuery] string? resource,
        [FromQuery] string? level,
        [FromQuery] string? search,
        [FromQuery] string? traceId,
        [FromQuery] int? limit)
    {
        if (level is { Length: > 0 } && !LogLevels.Names.Contains(level, StringComparer.OrdinalIgnoreCase))
        {
            return TypedResults.Problem($"level must be one of {string.Join(", ", LogLevels.Names)}; '{level}' is not.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid level");
        }
        if (InvalidLimit(limit) is { } problem)
        {
            return problem;
        }
        return TypedResults.Ok(store.GetLogs(new LogQuery(resource, level, search, traceId, limit ?? 500)));
    }

    private static Results<Ok<IReadOnlyList<TraceSummary>>, ProblemHttpResult> GetTraces(
        TelemetryStore store, [FromQuery] string? resource, [FromQuery] string? search, [FromQuery] int? limit) =>
        InvalidLimit(limit) is { } problem ? problem : TypedResults.Ok(store.GetTraces(resource, search, limit ?? 200));

    private static Results<Ok<TraceDetail>, ProblemHttpResult> GetTrace(TelemetryStore store, string traceId) =>
        store.GetTrace(traceId) is { } trace
            ? TypedResults.Ok(trace)
            : TypedResults.Problem($"No span of trace '{traceId}' is kept (it may be older than the {store.Limits.MaxSpanCount} newest spans).",
                statusCode: StatusCodes.Status404NotFound, title: "Unknown trace");

    private static ProblemHttpResult? InvalidLimit(int? limit) => limit is < 1 or > MaxLimit
        ? TypedResults.Problem($"limit must be between 1 and {MaxLimit}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit")
        : null;
}
