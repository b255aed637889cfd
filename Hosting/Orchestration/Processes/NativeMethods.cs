using System.Runtime.InteropServices;

namespace LearnApp.Hosting.Orchestration.Processes;

// .NET has no managed way to send a signal other than SIGKILL, and none to ask for the effective uid.
internal static partial class NativeMethods
{
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    public static bool TrySendSignal(int pid, UnixSignal signal) => Kill(pid, (int)signal) == 0;

    public static bool IsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;
}
