using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Bench.Api;

/// <summary>The Api and worker executables of this build, started as real processes on loopback.</summary>
internal static class Services
{
    public static string AssemblyPath(string project, string assembly)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(RepositoryRoot(), project, "bin", output.Parent!.Name, output.Name, assembly);
    }

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "LearnApp.sln")))
        {
            root = root.Parent;
        }
        return root?.FullName ?? throw new InvalidOperationException("run the benchmark from the LearnApp repository");
    }

    /// <summary>
    /// The runtime settings the image gives every mode (<c>ENV DOTNET_…</c> in Api/Dockerfile), so the benchmark runs
    /// the services as compose and Kubernetes do; some runtime knobs (the gen0 budget) exist only as environment
    /// variables, not in runtimeconfig.json.
    /// </summary>
    public static Dictionary<string, string> ImageRuntimeEnvironment()
    {
        var instructions = File.ReadAllText(Path.Combine(RepositoryRoot(), "Api", "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal).Split('\n');
        return instructions
            .Where(line => line.StartsWith("ENV ", StringComparison.Ordinal))
            .SelectMany(line => line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].StartsWith("DOTNET_", StringComparison.Ordinal) && pair[0] != "DOTNET_RUNNING_IN_CONTAINER")
            .ToDictionary(pair => pair[0], pair => pair[1]);
    }

    public static async Task<(RunningProcess Process, ServiceLog Log)> StartAsync(
        string project, string assembly, string[] arguments, Dictionary<string, string?> environment)
    {
        var log = new ServiceLog();
        var path = AssemblyPath(project, assembly);
        var process = await ProcessRunner.StartAsync(new ProcessSpec("dotnet")
        {
            Arguments = [path, .. arguments],
            WorkingDirectory = Path.GetDirectoryName(path),
            Environment = environment,
            OnOutputLine = log.Add,
            OnErrorLine = log.Add,
        });
        return (process, log);
    }

    public static async Task WaitHealthyAsync(HttpClient client, Uri baseAddress, RunningProcess process, IEnumerable<string> log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"exited early:\n{string.Join('\n', log)}");
            }
            try
            {
                if ((await client.GetAsync(new Uri(baseAddress, "/health"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"not healthy after 60 s:\n{string.Join('\n', log)}");
    }
}
