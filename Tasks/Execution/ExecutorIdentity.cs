using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LearnApp.Tasks.Execution;

/// <summary>This process's name as an executor: in the jobs table, the consumer group and the heartbeats.</summary>
public sealed class ExecutorIdentity(IOptions<TaskExecutorOptions> options, IHostEnvironment environment)
{
    public string Name { get; } = options.Value.ExecutorName
        ?? $"{environment.ApplicationName}:{Environment.MachineName}:{Environment.ProcessId}";
}
