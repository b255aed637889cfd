using System.Diagnostics;

namespace LearnApp.Hosting.Orchestration.Processes;

/// <summary>A child started by <see cref="ProcessRunner"/>. Disposing it stops it.</summary>
public sealed class RunningProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessSpec _spec;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunningProcess(Process process, ProcessSpec spec)
    {
        _process = process;
        _spec = spec;
    }

    public int Id => _process.Id;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Completes with the exit code once the process has exited and its output has been read to the end.</summary>
    public Task<int> Exited => _exited.Task;

    internal static RunningProcess Start(ProcessStartInfo startInfo, ProcessSpec spec)
    {
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var running = new RunningProcess(process, spec);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) spec.OnOutputLine?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) spec.OnErrorLine?.Invoke(e.Data); };
        process.Exited += (_, _) => running.OnExited();

        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken = default) =>
        await _exited.Task.WaitAsync(cancellationToken);

    /// <summary>Sends the spec's stop signal, then kills the whole tree if the process is still there after <paramref name="timeout"/>.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!HasExited)
        {
            Signal(_spec.StopSignal);
            try
            {
                return await _exited.Task.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                Kill();
            }
        }
        return await _exited.Task;
    }

    /// <summary>Sends one signal to the process alone, not its children. Returns false when it is already gone.</summary>
    public bool Signal(UnixSignal signal) => !HasExited && NativeMethods.TrySendSignal(_process.Id, signal);

    /// <summary>Kills the process and everything it started.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private void OnExited()
    {
        // WaitForExit() without a timeout also waits for the redirected streams to drain, so no line is lost.
        _process.WaitForExit();
        _exited.TrySetResult(_process.ExitCode);
    }
}
