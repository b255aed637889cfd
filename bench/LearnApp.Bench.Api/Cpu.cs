using System.Globalization;

namespace LearnApp.Bench.Api;

/// <summary>
/// CPU time each process group used (user + system, from /proc, descendants included), so a run can say where the
/// time went per request: a figure much less disturbed by other load on the machine than wall-clock throughput.
/// </summary>
internal sealed class CpuSnapshot
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Dictionary<string, double> _seconds;

    private CpuSnapshot(Dictionary<string, double> seconds) => _seconds = seconds;

    public static CpuSnapshot Take(IReadOnlyDictionary<string, int> roots)
    {
        var seconds = roots.ToDictionary(r => r.Key, r => Memory.WithDescendants(r.Value).Sum(ProcessSeconds));
        seconds["bench"] = ProcessSeconds(Environment.ProcessId);
        return new CpuSnapshot(seconds);
    }

    /// <summary>CPU microseconds per operation for each group between two snapshots, e.g. "api 412, postgres 120".</summary>
    public static string PerOperation(CpuSnapshot before, CpuSnapshot after, int operations)
    {
        var parts = after._seconds
            .Select(p => (p.Key, Micros: (p.Value - before._seconds.GetValueOrDefault(p.Key)) * 1e6 / Math.Max(1, operations)))
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Micros:F0}"));
        var total = after._seconds.Where(p => p.Key != "bench").Sum(p => p.Value - before._seconds.GetValueOrDefault(p.Key)) * 1e6 / Math.Max(1, operations);
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

    private static double ProcessSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 of stat (utime, stime); the slice starts at field 3.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
