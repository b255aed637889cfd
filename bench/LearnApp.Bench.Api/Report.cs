using System.Globalization;

namespace LearnApp.Bench.Api;

internal static class Report
{
    public static void Throughput(LoadResult result)
    {
        var run = result.Run;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Name,-22} {run.Requests / run.Elapsed.TotalSeconds,8:F0} req/s  p50 {run.P50Ms,6:F2} ms  p99 {run.P99Ms,6:F2} ms  errors {run.Errors}{(run.Errors > 0 ? $" ({run.ErrorKinds})" : "")}  PSS under load {result.PssUnderLoadMb:F0} MB  {result.LoadAverage}"));
        Console.WriteLine("  " + result.Cpu);
        Console.WriteLine("  " + result.Switches);
        Console.WriteLine("  " + result.Machine);
        if (result.Proxy is { } proxy)
        {
            proxy.Nginx.Sort();
            proxy.Upstream.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  at nginx (1 in 16 requests, n={proxy.Nginx.Count}, whole ms): in nginx p50 {Percentile(proxy.Nginx, 50):F0} p99 {Percentile(proxy.Nginx, 99):F0} ms, its upstream (to an Api and back) p50 {Percentile(proxy.Upstream, 50):F0} p99 {Percentile(proxy.Upstream, 99):F0} ms"));
        }
    }

    public static void Latencies(string name, List<double> latencies)
    {
        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: n={latencies.Count} p50 {Percentile(latencies, 50):F2} ms  p95 {Percentile(latencies, 95):F2} ms  p99 {Percentile(latencies, 99):F2} ms"));
    }

    public static void Memory(string label, Dictionary<string, int> roots)
    {
        var parts = roots.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {LearnApp.Bench.Api.Memory.TotalMegabytes([r.Value]):F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {LearnApp.Bench.Api.Memory.TotalMegabytes(roots.Values):F0} MB total ({string.Join(", ", parts)} MB)  {CpuSnapshot.LoadAverage()}"));
    }

    /// <summary>Errors the services logged during the run: a 5xx or a failed job leaves one, so a clean run says 0.</summary>
    public static void ServiceErrors(IReadOnlyDictionary<string, ServiceLog> logs)
    {
        Console.WriteLine("errors logged by the services: " + string.Join(", ", logs.Select(l => $"{l.Key} {l.Value.Errors}")));
        foreach (var (name, log) in logs.Where(l => l.Value.Errors > 0))
        {
            Console.WriteLine($"  {name}'s first:\n{log.FirstError}");
        }
    }

    private static double Percentile(List<double> sorted, double percent) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percent / 100 * sorted.Count) - 1)];
}
