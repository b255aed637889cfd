using System.Runtime.InteropServices;

namespace LearnApp.Hosting.Tests.Orchestration;

/// <summary>Ignores SIGINT in this process until disposed, then puts the runtime's own handler back as it was.</summary>
internal sealed partial class IgnoredSignal : IDisposable
{
    private const int SigInt = 2;

    // struct sigaction is 152 bytes on x86-64 and arm64 glibc; the earlier one is kept whole and given back unread.
    private const int SigactionSize = 256;
    private readonly byte[] _previous = new byte[SigactionSize];

    private IgnoredSignal()
    {
        var ignore = new byte[SigactionSize];
        BitConverter.TryWriteBytes(ignore.AsSpan(0, sizeof(long)), 1L); // sa_handler = SIG_IGN
        if (Sigaction(SigInt, ignore, _previous) != 0)
        {
            throw new InvalidOperationException($"sigaction failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public static IgnoredSignal Interrupt() => new();

    public void Dispose() => Sigaction(SigInt, _previous, null);

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    private static partial int Sigaction(int signal, byte[] action, byte[]? previous);
}
