using Microsoft.Extensions.Options;

namespace LearnApp.Tasks.Routing;

/// <summary>Chooses where a task runs, from the executor mode, the heavy-task list and the queue's health.</summary>
public sealed class TaskRouter(IOptions<TaskExecutorOptions> options, QueueAvailability availability)
{
    public string Choose(string taskType) =>
        options.Value.Executor is TaskExecutorMode.Hybrid && !options.Value.IsHeavy(taskType) ? TaskRoute.InProcess : HeavyRoute();

    /// <summary>Where a heavy task created now goes.</summary>
    public string HeavyRoute() => options.Value.Executor switch
    {
        TaskExecutorMode.InProcess => TaskRoute.InProcess,
        TaskExecutorMode.Queue => TaskRoute.Queue,
        _ => availability.QueueUsable ? TaskRoute.Queue : TaskRoute.InProcess,
    };
}
