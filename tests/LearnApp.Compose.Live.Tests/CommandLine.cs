using System.Diagnostics;
using System.Text;

namespace LearnApp.Compose.Live.Tests;

/// <summary>The outcome of one command: its exit code and what it printed.</summary>
internal sealed record CommandResult(string Command, int ExitCode, string Output, string Error)
{
    public CommandResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"`{Command}` exited with {ExitCode}: {Tail(Error.Length > 0 ? Error : Output)}");
        }
        return this;
    }

    private static string Tail(string text) => text.Length <= 2000 ? text.Trim() : "..." + text[^2000..].Trim();
}

/// <summary>
/// Runs the Docker and compose command-line tools. They are short-lived clients of the daemon, so plain
/// <see cref="Process"/> is enough here (no death signal to inherit, unlike the orchestrator's children).
/// </summary>
internal static class CommandLine
{
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? standardInput = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Repository.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var command = $"{Path.GetFileName(fileName)} {string.Join(' ', start.ArgumentList)}";
        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (error) { error.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{command}` did not finish within {timeout.TotalSeconds:0} s");
        }
        process.WaitForExit();
        lock (output)
        {
            lock (error)
            {
                return new CommandResult(command, process.ExitCode, output.ToString(), error.ToString());
            }
        }
    }
}
