using System.Text.Json;
using System.Threading.Channels;
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

/// <summary>One console line of the live stream, with the instance it came from.</summary>
public sealed record ConsoleLogEvent(string InstanceId, long LineNumber, DateTimeOffset Timestamp, string Content, bool IsErrorMessage);

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
        api.MapGet("/{name}/logs/stream", StreamConsoleLogsAsync);
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

    /// <summary>
    /// Server-sent events: the last <c>tail</c> lines of each instance (or of one replica), then every new line as
    /// it is written, one JSON <see cref="ConsoleLogEvent"/> per <c>line</c> event.
    /// </summary>
    private static async Task StreamConsoleLogsAsync(
        HttpContext context,
        string name,
        [FromQuery] int? replica,
        [FromQuery] int? tail,
        ResourceNotificationService notifications,
        ResourceLoggerService logs)
    {
        var instances = notifications.GetInstances(name);
        if (instances.Count == 0 || replica is { } r && (r < 0 || r >= instances.Count) || tail is < 1 or > ResourceLoggerService.MaxLinesPerInstance)
        {
            var (status, title, detail) = instances.Count == 0
                ? (StatusCodes.Status404NotFound, "Unknown resource", $"There is no resource named '{name}'.")
                : (StatusCodes.Status400BadRequest, "Invalid query", $"replica must be 0 to {instances.Count - 1} and tail 1 to {ResourceLoggerService.MaxLinesPerInstance}.");
            await TypedResults.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);
            return;
        }
        var cancellationToken = context.RequestAborted;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var json = context.RequestServices.GetJsonOptions();
        var selected = replica is { } index ? [instances[index]] : instances;
        // Every instance's watcher feeds one channel; one loop writes, so events never interleave mid-line.
        var merged = Channel.CreateUnbounded<ConsoleLogEvent>(new UnboundedChannelOptions { SingleReader = true });
        var watchers = selected.Select(instance => Task.Run(async () =>
        {
            var skip = Math.Max(0, logs.GetLines(instance.InstanceId).Count - (tail ?? DefaultTail));
            await foreach (var line in logs.WatchAsync(instance.InstanceId, cancellationToken))
            {
                if (skip-- > 0)
                {
                    continue;
                }
                merged.Writer.TryWrite(new ConsoleLogEvent(instance.InstanceId, line.LineNumber, line.Timestamp, line.Content, line.IsErrorMessage));
            }
        }, cancellationToken)).ToList();
        try
        {
            await context.Response.WriteAsync(": streaming\n\n", cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
            while (await merged.Reader.WaitToReadAsync(cancellationToken))
            {
                while (merged.Reader.TryRead(out var line))
                {
                    await context.Response.WriteAsync($"event: line\ndata: {JsonSerializer.Serialize(line, json)}\n\n", cancellationToken);
                }
                await context.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The browser went away.
        }
        await Task.WhenAll(watchers).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static JsonSerializerOptions GetJsonOptions(this IServiceProvider services) =>
        ((Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>)services
            .GetService(typeof(Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>))!).Value.SerializerOptions;
}
