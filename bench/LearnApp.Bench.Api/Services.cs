using System.Collections.Concurrent;
using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Bench.Api;

/// <summary>The Api and worker executables of this build, started as real processes on loopback.</summary>
internal static class Services
{
    public static string AssemblyPath(string project, string assembly)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = output.Name;
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "LearnApp.sln")))
        {
            root = root.Parent;
        }
        return Path.Combine(root!.FullName, project, "bin", configuration, tfm, assembly);
    }

    public static async Task<(RunningProcess Process, ConcurrentQueue<string> Log)> StartAsync(
        string project, string assembly, string[] arguments, Dictionary<string, string?> environment)
    {
        var log = new ConcurrentQueue<string>();
        var path = AssemblyPath(project, assembly);
        var process = await ProcessRunner.StartAsync(new ProcessSpec("dotnet")
        {
            Arguments = [path, .. arguments],
            WorkingDirectory = Path.GetDirectoryName(path),
            Environment = environment,
            OnOutputLine = line => { log.Enqueue(line); if (log.Count > 200) { log.TryDequeue(out _); } },
            OnErrorLine = line => { log.Enqueue(line); if (log.Count > 200) { log.TryDequeue(out _); } },
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
