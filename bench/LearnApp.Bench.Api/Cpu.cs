using System.Globalization;

namespace LearnApp.Bench.Api;

/// <summary>
/// CPU time each process group used (user + system, from /proc, descendants included), so a run can say where the
/// time went per request: a figure much less disturbed by other load on the machine than wall-clock throughput.
/// The load side is reported apart from the stack: "bench" is this process plus the wrk runs it has reaped (their CPU
/// lands in its children time), "nginx" the scaled topology's front door.
/// </summary>
internal sealed class CpuSnapshot
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private static readonly HashSet<string> s_loadSide = ["bench", "nginx"];
    private readonly Dictionary<string, double> _seconds;
    private readonly Dictionary<string, long> _switches;

    private CpuSnapshot(Dictionary<string, double> seconds, Dictionary<string, long> switches) => (_seconds, _switches) = (seconds, switches);

    public static CpuSnapshot Take(IReadOnlyDictionary<string, int> roots)
    {
        var processes = roots.ToDictionary(r => r.Key, r => Memory.WithDescendants(r.Value).ToList());
        var seconds = processes.ToDictionary(p => p.Key, p => p.Value.Sum(ProcessSeconds));
        seconds["bench"] = ProcessSeconds(Environment.ProcessId, withReapedChildren: true);
        // wrk's switches are gone with it once reaped; the machine's total (Machine.Between) still counts them.
        var switches = processes.ToDictionary(p => p.Key, p => p.Value.Sum(ContextSwitches));
        return new CpuSnapshot(seconds, switches);
    }

    /// <summary>Context switches per operation for each group between two snapshots: how often its threads slept and woke.</summary>
    public static string SwitchesPerOperation(CpuSnapshot before, CpuSnapshot after, int operations) =>
        "context switches/op: " + string.Join(", ", after._switches.Select(p => string.Create(CultureInfo.InvariantCulture,
            // A thread that exited took its count with it, so a quiet process can come out below zero: shown as 0.
            $"{p.Key} {Math.Max(0, p.Value - before._switches.GetValueOrDefault(p.Key)) / (double)Math.Max(1, operations):F1}")));

    /// <summary>Voluntary and involuntary context switches of every thread of a process (a thread that has exited no longer counts).</summary>
    private static long ContextSwitches(int pid)
    {
        long total = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            total += long.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
                        }
                    }
                }
                catch (IOException)
                {
                    // The thread ended while being read.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return total;
    }

    /// <summary>CPU microseconds per operation for each group between two snapshots, e.g. "api 412, postgres 120".</summary>
    public static string PerOperation(CpuSnapshot before, CpuSnapshot after, int operations)
    {
        var parts = after._seconds
            .Select(p => (p.Key, Micros: (p.Value - before._seconds.GetValueOrDefault(p.Key)) * 1e6 / Math.Max(1, operations)))
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Micros:F0}"));
        var total = after._seconds.Where(p => !s_loadSide.Contains(p.Key)).Sum(p => p.Value - before._seconds.GetValueOrDefault(p.Key)) * 1e6 / Math.Max(1, operations);
        return string.Create(CultureInfo.InvariantCulture, $"CPU µs/op: stack {total:F0} ({string.Join(", ", parts)})");
    }

    /// <summary>The 1, 5 and 15 minute load averages: how busy the shared machine was.</summary>
    public static string LoadAverage()
    {
        try
        {
            return "load " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "load ?";
        }
    }

    private static double ProcessSeconds(int pid) => ProcessSeconds(pid, withReapedChildren: false);

    private static double ProcessSeconds(int pid, bool withReapedChildren)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 of stat (utime, stime), 16 and 17 (cutime, cstime: children waited for); the slice starts at field 3.
            long Field(int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
            return (Field(11) + Field(12) + (withReapedChildren ? Field(13) + Field(14) : 0)) / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
