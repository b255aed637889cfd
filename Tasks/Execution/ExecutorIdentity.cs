using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LearnApp.Tasks.Execution;

/// <summary>This process's name as an executor: in the jobs table, the consumer group and the heartbeats.</summary>
/// <remarks>
/// The default starts with the role, not the executable: one executable runs as api, worker and scheduler, and
/// <c>executedBy</c> should still tell a worker from an Api at a glance (<c>worker:&lt;host&gt;:&lt;pid&gt;</c>).
/// </remarks>
public sealed class ExecutorIdentity(IOptions<TaskExecutorOptions> options, TaskHostRole role)
{
    public string Name { get; } = options.Value.ExecutorName
        ?? $"{role.ToString().ToLowerInvariant()}:{Environment.MachineName}:{Environment.ProcessId}";
}
