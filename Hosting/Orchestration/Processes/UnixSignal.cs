namespace LearnApp.Hosting.Orchestration.Processes;

/// <summary>The POSIX signals the orchestrator sends; values are the Linux numbers.</summary>
public enum UnixSignal
{
    Interrupt = 2,
    Kill = 9,
    Terminate = 15,
}

internal static class UnixSignalNames
{
    /// <summary>The name <c>setpriv --pdeathsig</c> expects.</summary>
    public static string ToSetprivName(this UnixSignal signal) => signal switch
    {
        UnixSignal.Interrupt => "INT",
        UnixSignal.Kill => "KILL",
        UnixSignal.Terminate => "TERM",
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, null),
    };
}
