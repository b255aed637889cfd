namespace LearnApp.Hosting.Orchestration;

/// <summary>The commands a resource offers in run mode (Aspire's <c>KnownResourceCommands</c> names).</summary>
public static class KnownResourceCommands
{
    public const string Start = "start";
    public const string Stop = "stop";
    public const string Restart = "restart";

    public static IReadOnlyList<string> All { get; } = [Start, Stop, Restart];
}

public enum ResourceCommandOutcome
{
    Succeeded,
    UnknownResource,
    UnknownReplica,
    UnknownCommand,
    /// <summary>The resource kind has no such command (a database has no process of its own).</summary>
    NotSupported,
    /// <summary>Not now: already stopped, still waiting, or the AppHost is stopping.</summary>
    InvalidState,
    /// <summary>The command ran but the resource did not start.</summary>
    Failed,
}

public sealed record ResourceCommandResult(ResourceCommandOutcome Outcome, string Message)
{
    public bool Succeeded => Outcome == ResourceCommandOutcome.Succeeded;
}

/// <summary>
/// Stop, start and restart one resource (every replica) or one replica, as the dashboard's buttons do. A stop ends
/// the process (Stopping, then Exited or Finished) and leaves it stopped; a start runs it again with the same
/// environment (Starting, then Running, health checks and the replica proxy following its new port).
/// </summary>
public sealed class ResourceCommandService
{
    private readonly ApplicationOrchestrator _orchestrator;
    private readonly ResourceNotificationService _notifications;

    internal ResourceCommandService(ApplicationOrchestrator orchestrator, ResourceNotificationService notifications)
    {
        _orchestrator = orchestrator;
        _notifications = notifications;
    }

    public async Task<ResourceCommandResult> ExecuteAsync(string resourceName, string command, int? replica = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resourceName);
        ArgumentNullException.ThrowIfNull(command);
        if (!KnownResourceCommands.All.Contains(command))
        {
            return new(ResourceCommandOutcome.UnknownCommand, $"There is no command '{command}'; use {string.Join(", ", KnownResourceCommands.All)}.");
        }
        if (_orchestrator.FindRun(resourceName) is not { } run)
        {
            return new(ResourceCommandOutcome.UnknownResource, $"There is no resource named '{resourceName}'.");
        }
        if (replica is { } index && (index < 0 || index >= run.Instances.Count))
        {
            return new(ResourceCommandOutcome.UnknownReplica, $"Resource '{resourceName}' has replicas 0 to {run.Instances.Count - 1}; there is no replica {index}.");
        }
        if (run.CommandsUnsupportedReason is { } reason)
        {
            return new(ResourceCommandOutcome.NotSupported, $"'{resourceName}' cannot be {PastTense(command)}: {reason}.");
        }

        await run.CommandLock.WaitAsync(cancellationToken);
        try
        {
            if (_orchestrator.IsStopping)
            {
                return new(ResourceCommandOutcome.InvalidState, "The AppHost is stopping.");
            }
            var targets = replica is { } i ? [run.Instances[i]] : run.Instances;
            var what = replica is { } r ? $"Replica {r} of '{resourceName}'" : $"'{resourceName}'";
            var states = targets.Select(StateOf).ToList();
            var running = targets.Where((_, n) => states[n] == KnownResourceStates.Running).ToList();
            var stopped = targets.Where((_, n) => KnownResourceStates.IsTerminal(states[n])).ToList();
            var busy = states.FirstOrDefault(s => s is not KnownResourceStates.Running && !KnownResourceStates.IsTerminal(s));

            switch (command)
            {
                case KnownResourceCommands.Stop when running.Count == 0:
                    return new(ResourceCommandOutcome.InvalidState, $"{what} is not running (it is {string.Join(", ", states.Distinct())}).");
                case KnownResourceCommands.Start when stopped.Count == 0:
                    return new(ResourceCommandOutcome.InvalidState, $"{what} is not stopped (it is {string.Join(", ", states.Distinct())}); use restart.");
                case KnownResourceCommands.Restart when busy is not null:
                    return new(ResourceCommandOutcome.InvalidState, $"{what} is {busy}; restart it once it is running or stopped.");
            }

            if (command is KnownResourceCommands.Stop or KnownResourceCommands.Restart)
            {
                await Task.WhenAll(running.Select(run.StopInstanceAsync));
            }
            if (command is KnownResourceCommands.Start or KnownResourceCommands.Restart)
            {
                var toStart = command == KnownResourceCommands.Start ? stopped : targets;
                var errors = (await Task.WhenAll(toStart.Select(run.StartInstanceAsync))).OfType<string>().Distinct().ToList();
                if (errors.Count > 0)
                {
                    return new(ResourceCommandOutcome.Failed, $"{what} did not start: {string.Join("; ", errors)}");
                }
            }
            return new(ResourceCommandOutcome.Succeeded, $"{what} {PastTense(command)}.");
        }
        finally
        {
            run.CommandLock.Release();
        }
    }

    private string StateOf(ResourceInstance instance) => _notifications.GetSnapshot(instance.InstanceId).State;

    private static string PastTense(string command) => command switch
    {
        KnownResourceCommands.Stop => "stopped",
        KnownResourceCommands.Start => "started",
        _ => "restarted",
    };
}
