using System.Text.Json;
using LearnApp.Hosting.Orchestration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace LearnApp.Hosting.Dashboard;

public sealed record ResourceCommandView(string Resource, string Command, string Message, IReadOnlyList<ResourceView> Instances);

public sealed record ConsoleLogsView(string Resource, string InstanceId, int ReplicaIndex, IReadOnlyList<LogLine> Lines);

/// <summary>The JSON API behind the dashboard's views, usable with the token by tests and tools.</summary>
internal static class DashboardApi
{
    public const int DefaultTail = 1000;

    public static RouteGroupBuilder MapDashboardApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/resources");
        api.MapGet("/", GetResources);
        api.MapGet("/stream", StreamResourcesAsync);
        api.MapGet("/{name}/logs", GetConsoleLogs);
        api.MapPost("/{name}/{command}", ExecuteCommandAsync);
        return api;
    }

    private static Ok<ResourceView[]> GetResources(ResourceNotificationService notifications, ResourceViewFactory views) =>
        TypedResults.Ok(notifications.GetCurrentSnapshots().Select(views.Create).ToArray());

    /// <summary>POST /api/resources/{name}/stop|start|restart[?replica=N]: the resource's instances after the command.</summary>
    private static async Task<Results<Ok<ResourceCommandView>, ProblemHttpResult>> ExecuteCommandAsync(
        string name,
        string command,
        [FromQuery] int? replica,
        ResourceCommandService commands,
        ResourceNotificationService notifications,
        ResourceViewFactory views,
        CancellationToken cancellationToken)
    {
        var result = await commands.ExecuteAsync(name, command, replica, cancellationToken);
        var (status, title) = result.Outcome switch
        {
            ResourceCommandOutcome.Succeeded => (StatusCodes.Status200OK, ""),
            ResourceCommandOutcome.UnknownResource => (StatusCodes.Status404NotFound, "Unknown resource"),
            ResourceCommandOutcome.UnknownReplica => (StatusCodes.Status400BadRequest, "Unknown replica"),
            ResourceCommandOutcome.UnknownCommand => (StatusCodes.Status404NotFound, "Unknown command"),
            ResourceCommandOutcome.NotSupported => (StatusCodes.Status409Conflict, "Command not supported"),
            ResourceCommandOutcome.InvalidState => (StatusCodes.Status409Conflict, "Invalid state"),
            _ => (StatusCodes.Status409Conflict, "Command failed"),
        };
        if (!result.Succeeded)
        {
            return TypedResults.Problem(result.Message, statusCode: status, title: title);
        }
        return TypedResults.Ok(new ResourceCommandView(name, command, result.Message,
            [.. notifications.GetInstances(name).Select(views.Create)]));
    }

    private static Results<Ok<ConsoleLogsView[]>, ProblemHttpResult> GetConsoleLogs(
        string name,
        [FromQuery] int? replica,
        [FromQuery] string? search,
        [FromQuery] int? tail,
        ResourceNotificationService notifications,
        ResourceLoggerService logs)
    {
        var instances = notifications.GetInstances(name);
        if (instances.Count == 0)
        {
            return TypedResults.Problem($"There is no resource named '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown resource");
        }
        if (replica is { } index && (index < 0 || index >= instances.Count))
        {
            return TypedResults.Problem($"Resource '{name}' has replicas 0 to {instances.Count - 1}; there is no replica {index}.",
                statusCode: StatusCodes.Status400BadRequest, title: "Unknown replica");
        }
        if (tail is < 1 or > ResourceLoggerService.MaxLinesPerInstance)
        {
            return TypedResults.Problem($"tail must be between 1 and {ResourceLoggerService.MaxLinesPerInstance}.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid tail");
        }
        var selected = replica is { } i ? [instances[i]] : instances;
        return TypedResults.Ok(selected.Select(s => new ConsoleLogsView(
            s.ResourceName,
            s.InstanceId,
            s.ReplicaIndex,
            [.. logs.GetLines(s.InstanceId)
                .Where(l => string.IsNullOrEmpty(search) || l.Content.Contains(search, StringComparison.OrdinalIgnoreCase))
                .TakeLast(tail ?? DefaultTail)])).ToArray());
    }

    /// <summary>Server-sent events: every current snapshot, then each change, one JSON <see cref="ResourceView"/> per event.</summary>
    private static async Task StreamResourcesAsync(
        HttpContext context, ResourceNotificationService notifications, ResourceViewFactory views, IHostApplicationLifetime lifetime)
    {
        // Ends with the browser or with the dashboard: an open stream would otherwise hold the AppHost's stop.
        using var streaming = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = streaming.Token;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var json = context.RequestServices.GetJsonOptions();
        try
        {
            await foreach (var resourceEvent in notifications.WatchAsync(cancellationToken))
            {
                var data = JsonSerializer.Serialize(views.Create(resourceEvent.Snapshot), json);
                await context.Response.WriteAsync($"event: resource\ndata: {data}\n\n", cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The browser went away.
        }
    }

    private static JsonSerializerOptions GetJsonOptions(this IServiceProvider services) =>
        ((Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>)services
            .GetService(typeof(Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>))!).Value.SerializerOptions;
}
