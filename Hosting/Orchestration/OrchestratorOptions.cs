namespace LearnApp.Hosting.Orchestration;

public sealed class OrchestratorOptions
{
    public required string AppHostDirectory { get; init; }

    /// <summary>Git-ignored per-machine state (database folders, build outputs).</summary>
    public required string LocalStateDirectory { get; init; }
}
