using LearnApp.Tasks;
using LearnApp.Tasks.InProcess;
using LearnApp.Tasks.Queue;
using LearnApp.Tasks.Routing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LearnApp.Api.Tasks;

internal static class TasksApi
{
    public static RouteGroupBuilder MapTasks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/tasks").WithTags("Tasks");
        group.MapGet("/status", GetStatusAsync)
            .WithName("GetTaskStatus")
            .WithSummary("The executor mode, heavy tasks, queue depth, live workers and where heavy tasks go now.");
        return group;
    }

    private static async Task<Ok<TaskStatusResponse>> GetStatusAsync(
        IOptions<TaskExecutorOptions> options, QueueAvailability availability, TaskRouter router, InProcessJobChannel inProcess, IServiceProvider services)
    {
        var settings = options.Value;
        long? queueDepth = null;
        if (services.GetService<RedisJobStreams>() is { IsConnected: true } streams)
        {
            try
            {
                queueDepth = await streams.DepthAsync();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Redis went away between the check and the call: the depth is unknown, which the null says.
            }
        }

        var snapshot = availability.Current;
        return TypedResults.Ok(new TaskStatusResponse(
            settings.Executor.ToString().ToLowerInvariant(),
            [.. settings.HeavyTasks.Order(StringComparer.Ordinal)],
            queueDepth,
            inProcess.Count,
            snapshot.RedisAnswers,
            router.HeavyRoute(),
            [.. snapshot.AliveWorkers.Select(w => new WorkerStatus(w.Id, w.LastSeen, w.Running))]));
    }
}

/// <summary>GET /api/v1/tasks/status. HeavyTaskRoute says where a heavy task created now would go.</summary>
public sealed record TaskStatusResponse(
    string Executor,
    string[] HeavyTasks,
    long? QueueDepth,
    int InProcessDepth,
    bool RedisAvailable,
    string HeavyTaskRoute,
    WorkerStatus[] Workers);

public sealed record WorkerStatus(string Id, DateTime LastSeen, int Running);
