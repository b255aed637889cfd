using System.Collections.Concurrent;
using LearnApp.Hosting.Orchestration.Processes;
using LearnApp.Testing;

namespace LearnApp.Hosting.Tests.Orchestration;

public sealed class ProcessRunnerTests
{
    // The shell forks only before "ready", then sits in `wait`, which POSIX makes return at once on a trapped signal.
    private const string ExitsSevenOnInterrupt = "sleep 600 & trap 'kill $!; exit 7' INT; echo ready; wait";

    [Fact]
    public async Task OutputAndErrorLinesAndTheExitCodeReachTheCaller()
    {
        var output = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();

        await using var process = await ProcessRunner.StartAsync(new ProcessSpec("/bin/sh")
        {
            Arguments = ["-c", "echo one; echo two; echo oops >&2; exit 3"],
            OnOutputLine = output.Enqueue,
            OnErrorLine = errors.Enqueue,
        }, TestContext.Current.CancellationToken);

        Assert.Equal(3, await process.WaitForExitAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["one", "two"], output);
        Assert.Equal(["oops"], errors);
    }

    [Fact]
    public async Task EnvironmentIsAddedToAndRemovedFromTheInheritedOne()
    {
        Environment.SetEnvironmentVariable("LEARNAPP_TEST_INHERITED", "should-be-removed");
        var result = await ProcessRunner.RunToCompletionAsync(new ProcessSpec("/bin/sh")
        {
            Arguments = ["-c", "echo \"added=$LEARNAPP_TEST_ADDED removed=${LEARNAPP_TEST_INHERITED:-none}\""],
            Environment = new Dictionary<string, string?> { ["LEARNAPP_TEST_ADDED"] = "yes", ["LEARNAPP_TEST_INHERITED"] = null },
        }, TestContext.Current.CancellationToken);

        Assert.Equal("added=yes removed=none", result.Output);
    }

    [Fact]
    public async Task StopSendsTheGracefulSignalAndReturnsTheExitCode()
    {
        var (process, ready) = await StartInterruptTrapAsync();
        await using (process)
        {
            await ready.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Equal(7, await process.StopAsync(TimeSpan.FromSeconds(5)));
        }
    }

    [Fact]
    public async Task TheStopSignalReachesAChildEvenWhenThisProcessIgnoresIt()
    {
        // As when the AppHost is started with `&` from a script: SIGINT ignored here would stay ignored in the child,
        // and its shell could not trap it.
        RunningProcess process;
        Task ready;
        using (IgnoredSignal.Interrupt())
        {
            (process, ready) = await StartInterruptTrapAsync();
        }
        await using (process)
        {
            await ready.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Equal(7, await process.StopAsync(TimeSpan.FromSeconds(5)));
        }
    }

    /// <summary>A shell that exits 7 on SIGINT (the runner's stop signal here); the task completes once its trap is set.</summary>
    private static async Task<(RunningProcess Process, Task Ready)> StartInterruptTrapAsync()
    {
        var ready = new TaskCompletionSource();
        var process = await ProcessRunner.StartAsync(new ProcessSpec("/bin/sh")
        {
            Arguments = ["-c", ExitsSevenOnInterrupt],
            StopSignal = UnixSignal.Interrupt,
            OnOutputLine = line => { if (line == "ready") ready.TrySetResult(); },
        }, TestContext.Current.CancellationToken);
        return (process, ready.Task);
    }

    [Fact]
    public async Task StopKillsAProcessThatIgnoresTheSignal()
    {
        var ready = new TaskCompletionSource();
        await using var process = await ProcessRunner.StartAsync(new ProcessSpec("/bin/sh")
        {
            Arguments = ["-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done"],
            OnOutputLine = line => { if (line == "ready") ready.TrySetResult(); },
        }, TestContext.Current.CancellationToken);
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var exitCode = await process.StopAsync(TimeSpan.FromMilliseconds(300));

        Assert.Equal(128 + (int)UnixSignal.Kill, exitCode);
        Assert.False(ProcessTable.IsRunning(process.Id));
    }

    [Fact]
    public async Task AProcessThatCannotStartGivesAClearError()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ProcessRunner.StartAsync(new ProcessSpec("/nonexistent/program"), TestContext.Current.CancellationToken));
        Assert.Contains("/nonexistent/program", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsUserDropsRootToThatUser()
    {
        var result = await ProcessRunner.RunToCompletionAsync(
            new ProcessSpec("/usr/bin/id") { Arguments = ["-un"], RunAsUser = "postgres" },
            TestContext.Current.CancellationToken);

        var expected = Environment.UserName == "root" ? "postgres" : Environment.UserName;
        Assert.Equal(expected, result.Output);
    }
}
