namespace LearnApp.Hosting.Orchestration.Processes;

/// <summary>Everything needed to start one child process. The runner, not the caller, touches <c>Process</c>.</summary>
public sealed record ProcessSpec(string ExecutablePath)
{
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public string? WorkingDirectory { get; init; }

    /// <summary>Variables set (or, with a null value, removed) on top of the inherited environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public Action<string>? OnOutputLine { get; init; }

    public Action<string>? OnErrorLine { get; init; }

    /// <summary>
    /// When the orchestrator runs as root, the child runs as this user instead (PostgreSQL refuses root).
    /// Ignored when the orchestrator is not root.
    /// </summary>
    public string? RunAsUser { get; init; }

    /// <summary>What the child receives when the orchestrator dies, even by SIGKILL, so it never outlives it.</summary>
    public UnixSignal ParentDeathSignal { get; init; } = UnixSignal.Terminate;

    /// <summary>The signal for a graceful stop (PostgreSQL's fast shutdown is SIGINT).</summary>
    public UnixSignal StopSignal { get; init; } = UnixSignal.Terminate;
}
