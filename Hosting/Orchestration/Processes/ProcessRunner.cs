using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace LearnApp.Hosting.Orchestration.Processes;

/// <summary>
/// Starts child processes so that they die with this process. On Linux each child is started through
/// <c>setpriv --pdeathsig</c>, which exec()s the real program (so the PID is the program's own) after setting
/// PR_SET_PDEATHSIG and, when needed, dropping to an unprivileged user; a one-line shell guard in between closes the
/// gap where the AppHost dies before the death signal is set.
/// </summary>
public static class ProcessRunner
{
    private const string SetprivPath = "/usr/bin/setpriv";
    private const string SetsidPath = "/usr/bin/setsid";
    private const string EnvPath = "/usr/bin/env";

    // A signal ignored when a process starts stays ignored in its children, and a shell cannot even trap it then
    // (POSIX). An AppHost started from a script with `&`, or under a test runner, may ignore SIGINT, so the stop
    // signals are put back to their defaults before the program starts (coreutils' env, 8.31 or later).
    private const string DefaultStopSignals = "--default-signal=HUP,INT,QUIT,TERM";
    private static readonly Lazy<bool> s_envResetsSignals = new(EnvResetsSignals);

    // setpriv sets PR_SET_PDEATHSIG a moment after the fork; a parent killed in between leaves the child orphaned
    // with no signal coming (setpriv does not check). This guard runs after that setup: if its parent is no longer
    // the AppHost, it was orphaned in the gap and must not start the program. Otherwise it exec()s it (same PID).
    private const string ParentGuardScript = """[ "$PPID" = "$1" ] || exit 143; shift; exec "$@" """;

    // The group leader: it runs the program in the background and, when it gets TERM or INT (a stop, or the death
    // of the AppHost through PDEATHSIG) or the program ends, sends TERM to its whole group before it exits.
    // A child still between fork and exec has this shell's handler and silently loses that TERM, so on a stop the
    // signal is repeated until the child is really gone (a zombie counts as gone: only `wait` reaps it).
    private const string GroupSupervisorScript = """
        running() { { read -r stat < "/proc/$1/stat"; } 2>/dev/null || return 1; stat=${stat##*) }; [ "${stat%% *}" != Z ]; }
        stop() {
          trap "" TERM INT
          child=$!
          kill -TERM 0 2>/dev/null
          while [ -n "$child" ] && running "$child"; do sleep 0.05; kill -TERM "$child" 2>/dev/null; done
          wait
          exit 143
        }
        trap stop TERM INT
        "$@" &
        wait $!
        code=$?
        trap "" TERM INT
        kill -TERM 0 2>/dev/null
        exit $code
        """;

    // PR_SET_PDEATHSIG fires when the *thread* that forked the child exits, not the process. Forking from a pool
    // thread that is later retired would kill the child early, so every start happens on one thread that never ends.
    private static readonly BlockingCollection<Action> s_startQueue = CreateStartThread();

    public static async Task<RunningProcess> StartAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ProcessStartInfo startInfo;
        try
        {
            startInfo = CreateStartInfo(spec);
        }
        catch (FileNotFoundException ex)
        {
            throw new InvalidOperationException($"Could not start '{spec.ExecutablePath}': {ex.Message}", ex);
        }
        var started = new TaskCompletionSource<RunningProcess>(TaskCreationOptions.RunContinuationsAsynchronously);

        s_startQueue.Add(() =>
        {
            try
            {
                started.SetResult(RunningProcess.Start(startInfo, spec));
            }
            catch (Exception ex)
            {
                started.SetException(new InvalidOperationException($"Could not start '{spec.ExecutablePath}': {ex.Message}", ex));
            }
        }, cancellationToken);

        return await started.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Runs a program to completion and returns its exit code and combined output.</summary>
    public static async Task<ProcessResult> RunToCompletionAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        var output = new ConcurrentQueue<string>();
        var capturing = spec with
        {
            OnOutputLine = line => { output.Enqueue(line); spec.OnOutputLine?.Invoke(line); },
            OnErrorLine = line => { output.Enqueue(line); spec.OnErrorLine?.Invoke(line); },
        };
        await using var process = await StartAsync(capturing, cancellationToken);
        var exitCode = await process.WaitForExitAsync(cancellationToken);
        return new ProcessResult(exitCode, string.Join('\n', output));
    }

    private static ProcessStartInfo CreateStartInfo(ProcessSpec spec)
    {
        var startInfo = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };

        if (OperatingSystem.IsLinux() && File.Exists(SetprivPath))
        {
            startInfo.FileName = SetprivPath;
            if (spec.RunAsUser is { } user && NativeMethods.IsRoot)
            {
                startInfo.ArgumentList.Add($"--reuid={user}");
                startInfo.ArgumentList.Add($"--regid={user}");
                startInfo.ArgumentList.Add("--init-groups");
            }
            startInfo.ArgumentList.Add("--pdeathsig");
            startInfo.ArgumentList.Add(spec.ParentDeathSignal.ToSetprivName());
            startInfo.ArgumentList.Add("--");
            foreach (var argument in (string[])["/bin/sh", "-c", ParentGuardScript, "learnapp-parent-guard", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)])
            {
                startInfo.ArgumentList.Add(argument);
            }
            if (s_envResetsSignals.Value)
            {
                startInfo.ArgumentList.Add(EnvPath);
                startInfo.ArgumentList.Add(DefaultStopSignals);
            }
            if (spec.StopProcessGroup && File.Exists(SetsidPath))
            {
                foreach (var argument in (string[])[SetsidPath, "/bin/sh", "-c", GroupSupervisorScript, "learnapp-process-group"])
                {
                    startInfo.ArgumentList.Add(argument);
                }
            }
            // setpriv would start fine and only then fail to exec a missing program; find it first for a clear error.
            startInfo.ArgumentList.Add(ResolveExecutable(spec.ExecutablePath));
        }
        else
        {
            startInfo.FileName = spec.ExecutablePath;
        }

        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        return startInfo;
    }

    private static string ResolveExecutable(string executable)
    {
        if (executable.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(executable) ? executable : throw new FileNotFoundException($"'{executable}' does not exist.");
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, executable))
            .FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"'{executable}' was not found on PATH.");
    }

    /// <summary>Whether this machine's env can reset signal dispositions (GNU coreutils 8.31 or later).</summary>
    private static bool EnvResetsSignals()
    {
        if (!File.Exists(EnvPath))
        {
            return false;
        }
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(EnvPath) { ArgumentList = { DefaultStopSignals, "/bin/true" }, RedirectStandardError = true });
            probe!.WaitForExit();
            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static BlockingCollection<Action> CreateStartThread()
    {
        var queue = new BlockingCollection<Action>();
        var thread = new Thread(() =>
        {
            foreach (var start in queue.GetConsumingEnumerable())
            {
                start();
            }
        })
        {
            IsBackground = true,
            Name = "LearnApp process starter",
        };
        thread.Start();
        return queue;
    }
}

public sealed record ProcessResult(int ExitCode, string Output);
