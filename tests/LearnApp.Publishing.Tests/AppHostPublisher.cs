using System.Collections.Concurrent;
using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Publishing.Tests;

/// <summary>Runs the real, built AppHost with publisher arguments, as a developer or azd does.</summary>
internal static class AppHostPublisher
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(params string[] args)
    {
        var output = new ConcurrentQueue<string>();
        var error = new ConcurrentQueue<string>();
        await using var process = await ProcessRunner.StartAsync(new ProcessSpec("dotnet")
        {
            Arguments = [AppHostAssembly, .. args],
            WorkingDirectory = Repository.Root,
            Environment = new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Production" },
            OnOutputLine = output.Enqueue,
            OnErrorLine = error.Enqueue,
        }, TestContext.Current.CancellationToken);
        var exitCode = await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2));
        return new Result(exitCode, string.Join('\n', output), string.Join('\n', error));
    }

    /// <summary>The AppHost's build output: same configuration and framework as this test assembly.</summary>
    private static string AppHostAssembly
    {
        get
        {
            var testProject = Path.Combine(Repository.Root, "tests", "LearnApp.Publishing.Tests");
            var relativeOutput = Path.GetRelativePath(testProject, AppContext.BaseDirectory);
            return Path.Combine(Repository.Root, "AppHost", relativeOutput, "LearnApp.AppHost.dll");
        }
    }
}
