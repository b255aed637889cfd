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

    /// <summary>
    /// Runs the program as the leader of its own process group under a small shell that passes a stop (or the
    /// AppHost's death) on to the whole group, so grandchildren die too: <c>npm run dev</c> starts
    /// <c>sh</c> which starts <c>node</c>, and npm alone would leave node behind. The PID is then the shell's.
    /// </summary>
    public bool StopProcessGroup { get; init; }

    /// <summary>The signal for a graceful stop (PostgreSQL's fast shutdown is SIGINT).</summary>
    public UnixSignal StopSignal { get; init; } = UnixSignal.Terminate;
}
