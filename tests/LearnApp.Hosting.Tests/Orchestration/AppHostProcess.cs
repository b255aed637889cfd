using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Hosting.Tests.Orchestration;

/// <summary>A whole AppHost run as its own process, as a developer runs it; the tests read its console.</summary>
internal sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _allUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppHostProcess()
    {
    }

    public RunningProcess Process { get; private set; } = null!;

    public string Output => string.Join('\n', _output);

    /// <summary>Every PID the console reported for a running resource.</summary>
    public IReadOnlyList<int> ResourcePids => [.. _output.Select(line => PidPattern().Match(line)).Where(m => m.Success)
        .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct()];

    /// <summary>The build output of a sibling project: same configuration and framework as this test assembly.</summary>
    public static string BuiltAssembly(string projectFolder, string assemblyName)
    {
        var testProjectFolder = Path.Combine(OrchestratedApp.RepositoryRoot, "tests", "LearnApp.Hosting.Tests");
        var relativeOutput = Path.GetRelativePath(testProjectFolder, AppContext.BaseDirectory);
        return Path.Combine(OrchestratedApp.RepositoryRoot, projectFolder, relativeOutput, assemblyName + ".dll");
    }

    public static async Task<AppHostProcess> StartAsync(string assembly, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        var host = new AppHostProcess();
        host.Process = await ProcessRunner.StartAsync(new ProcessSpec("dotnet")
        {
            Arguments = [assembly, .. args],
            Environment = environment,
            OnOutputLine = host.OnLine,
            OnErrorLine = host.OnLine,
        }, TestContext.Current.CancellationToken);
        return host;
    }

    /// <summary>Waits for the console's "resources are up" line.</summary>
    public async Task WaitUntilUpAsync(int timeoutSeconds = 120)
    {
        var finished = await Task.WhenAny(_allUp.Task, Process.Exited)
            .WaitAsync(TimeSpan.FromSeconds(timeoutSeconds), TestContext.Current.CancellationToken);
        Assert.True(finished == _allUp.Task, $"the AppHost did not come up:\n{Output}");
    }

    public async ValueTask DisposeAsync() => await Process.DisposeAsync();

    private void OnLine(string line)
    {
        _output.Enqueue(line);
        if (line.Contains("resources are up", StringComparison.Ordinal))
        {
            _allUp.TrySetResult();
        }
    }

    [GeneratedRegex(@"\bRunning \w+\s+pid (\d+)")]
    private static partial Regex PidPattern();
}
