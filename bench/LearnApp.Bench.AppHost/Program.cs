using System.Diagnostics;
using System.Globalization;
using LearnApp.Hosting.Orchestration.Processes;

// Start → all-healthy time of an AppHost run with prebuilt binaries (the console's "resources are up" line),
// then the summed resident memory of the AppHost and every process below it after a few idle seconds.
// Usage: dotnet run -c Release --project bench/LearnApp.Bench.AppHost [rounds]
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var root = FindRepositoryRoot();
var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
string Dll(string folder, string name) => Path.Combine(root, folder, "bin", configuration, "net10.0", name + ".dll");

var cases = new (string Name, string Dll, string[] Args)[]
{
    ("AppHost single", Dll("AppHost", "LearnApp.AppHost"), ["--topology", "single"]),
    // Native servers: a container's named volume outlives the round's fresh local state (and its fresh passwords).
    ("AppHost scaled (native PostgreSQL and Redis)", Dll("AppHost", "LearnApp.AppHost"), ["--topology", "scaled", "--AppHost:ContainerRuntime=none"]),
    ("scaled-shaped test AppHost (postgres, db, redis, 2 replicas + proxy, 1 executable)",
        Dll(Path.Combine("tests", "LearnApp.Hosting.TestAppHost"), "LearnApp.Hosting.TestAppHost"), []),
};

foreach (var (name, dll, caseArgs) in cases)
{
    var times = new List<double>();
    var memory = new List<double>();
    string? failure = null;
    for (var round = 0; round < rounds && failure is null; round++)
    {
        var localState = Directory.CreateTempSubdirectory("learnapp-bench-").FullName;
        if (OperatingSystem.IsLinux())
        {
            // PostgreSQL runs as its own user when the AppHost is root; it must enter this folder.
            File.SetUnixFileMode(localState, (UnixFileMode)0b111_101_101);
        }
        var up = new TaskCompletionSource();
        var lastLines = new Queue<string>();
        var stopwatch = Stopwatch.StartNew();
        await using var host = await ProcessRunner.StartAsync(new ProcessSpec("dotnet")
        {
            Arguments = [dll, .. caseArgs, "--AppHost:BuildProjects=false", $"--AppHost:LocalStateDirectory={localState}"],
            Environment = new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Development" },
            OnOutputLine = line =>
            {
                lock (lastLines) { lastLines.Enqueue(line); if (lastLines.Count > 12) { lastLines.Dequeue(); } }
                if (line.Contains("all resources are up", StringComparison.Ordinal)) { up.TrySetResult(); }
            },
        });
        var finished = await Task.WhenAny(up.Task, host.Exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (finished != up.Task)
        {
            lock (lastLines) { failure = "not all up within 60 s; last lines:\n      " + string.Join("\n      ", lastLines); }
        }
        else
        {
            times.Add(stopwatch.Elapsed.TotalSeconds);
            await Task.Delay(TimeSpan.FromSeconds(3));
            memory.Add(SumRssMiB(host.Id));
        }
        await host.StopAsync(TimeSpan.FromSeconds(10));
        Directory.Delete(localState, recursive: true);
    }

    Console.WriteLine(failure is not null
        ? $"{name}: {failure}"
        : string.Create(CultureInfo.InvariantCulture,
            $"{name}: start → all healthy median {Median(times):F2} s (max {times.Max():F2} s), idle RSS of all processes {Median(memory):F0} MiB ({rounds} rounds)"));
}

static double Median(List<double> values)
{
    values.Sort();
    return values[values.Count / 2];
}

// The AppHost plus every descendant, from /proc (children of children through each process's parent PID).
static double SumRssMiB(int rootPid)
{
    var parents = new Dictionary<int, int>();
    foreach (var dir in Directory.GetDirectories("/proc"))
    {
        if (int.TryParse(Path.GetFileName(dir), out var pid))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }
    }
    var tree = new HashSet<int> { rootPid };
    for (var grew = true; grew;)
    {
        grew = false;
        foreach (var (pid, parent) in parents)
        {
            if (tree.Contains(parent) && tree.Add(pid))
            {
                grew = true;
            }
        }
    }
    long kib = 0;
    foreach (var pid in tree)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            kib += line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
        }
    }
    return kib / 1024.0;
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
    throw new InvalidOperationException("Could not find LearnApp.sln.");
}
