using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Hosting.Orchestration;

/// <summary>Checks that npm is there and installs the app's packages once, before <c>npm run</c>.</summary>
internal static class NodeTooling
{
    public static async Task PrepareAsync(NodeAppResource app, Action<string> log, CancellationToken cancellationToken)
    {
        if (FindOnPath(app.Command) is null)
        {
            throw new ResourceStartException($"{app.Command} was not found on PATH: install Node.js 20 or later (it brings npm), then start the AppHost again");
        }
        if (!File.Exists(Path.Combine(app.WorkingDirectory, "package.json")))
        {
            throw new ResourceStartException($"{app.WorkingDirectory} has no package.json: fix the path given to AddNpmApp");
        }
        if (Directory.Exists(Path.Combine(app.WorkingDirectory, "node_modules")))
        {
            return;
        }

        log("node_modules is missing: running npm install");
        var install = await ProcessRunner.RunToCompletionAsync(new ProcessSpec(app.Command)
        {
            Arguments = File.Exists(Path.Combine(app.WorkingDirectory, "package-lock.json")) ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"],
            WorkingDirectory = app.WorkingDirectory,
            OnOutputLine = log,
            OnErrorLine = log,
        }, cancellationToken);
        if (install.ExitCode != 0)
        {
            var last = install.Output.Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim();
            throw new ResourceStartException($"npm install failed with exit code {install.ExitCode} ({last}): run it in {app.WorkingDirectory} to see why");
        }
    }

    public static string? FindOnPath(string command) => command.Contains('/', StringComparison.Ordinal)
        ? (File.Exists(command) ? command : null)
        : (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);
}
