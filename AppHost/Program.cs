using System.Runtime.InteropServices;
using LearnApp.Hosting.Orchestration.Processes;

// Until the Aspire-style app model lands (the hosting issue), the AppHost builds the Api and runs it alone,
// on http://127.0.0.1:5180, stopping it on Ctrl+C or SIGTERM.
var repositoryRoot = FindRepositoryRoot();
var apiProject = Path.Combine(repositoryRoot, "Api", "LearnApp.Api.csproj");
var apiUrl = Environment.GetEnvironmentVariable("LEARNAPP_API_URL") ?? "http://127.0.0.1:5180";

Console.WriteLine("Building the Api...");
var build = await ProcessRunner.RunToCompletionAsync(new ProcessSpec("dotnet")
{
    Arguments = ["build", apiProject, "--nologo", "-v", "quiet"],
});
if (build.ExitCode != 0)
{
    Console.Error.WriteLine(build.Output);
    return 1;
}

using var stopping = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

await using var api = await ProcessRunner.StartAsync(new ProcessSpec("dotnet")
{
    Arguments = [Path.Combine(repositoryRoot, "Api", "bin", "Debug", "net10.0", "LearnApp.Api.dll")],
    WorkingDirectory = Path.Combine(repositoryRoot, "Api"),
    Environment = new Dictionary<string, string?>
    {
        ["ASPNETCORE_URLS"] = apiUrl,
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
    },
    OnOutputLine = line => Console.WriteLine($"[api] {line}"),
    OnErrorLine = line => Console.Error.WriteLine($"[api] {line}"),
});
Console.WriteLine($"Api running at {apiUrl} (health: {apiUrl}/health). Press Ctrl+C to stop.");

await Task.WhenAny(api.Exited, Task.Delay(Timeout.Infinite, stopping.Token).ContinueWith(_ => 0, TaskScheduler.Default));
var exitCode = await api.StopAsync(TimeSpan.FromSeconds(5));
Console.WriteLine($"Api stopped (exit code {exitCode}).");
return stopping.IsCancellationRequested ? 0 : exitCode;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "LearnApp.sln")))
        {
            return directory.FullName;
        }
    }
    throw new InvalidOperationException("Could not find LearnApp.sln above the AppHost's folder.");
}
