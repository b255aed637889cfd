using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace LearnApp.Bench.Api;

internal sealed record LoadResult(string Name, WrkResult Run, double PssUnderLoadMb, string Cpu, string Switches, string LoadAverage, string Machine, ProxyTimings? Proxy);

internal static class Load
{
    public static async Task<HttpClient> RegisterAsync(Uri baseAddress, HttpClient anonymous, int index)
    {
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/register",
            new { email = $"bench-{index}-{Guid.NewGuid():N}@example.com", password = "bench password", displayName = $"Bench {index}" });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<Registered>())!.AccessToken;
        var client = new HttpClient(new SocketsHttpHandler()) { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// A wrk warm-up, then the measured wrk run: one connection per user, each sending its next request as soon as
    /// the last answered. PSS is sampled late in the warm-up, CPU per process over the measured run.
    /// </summary>
    public static async Task<LoadResult> RunAsync(string name, Uri target, string script, int threads, int connections, int warmupSeconds, int seconds,
        Dictionary<string, int> memoryRoots, IReadOnlyDictionary<string, int> cpuRoots, (ProxyTimingLog Log, string Method, string Uri)? proxy = null)
    {
        // PSS under load is sampled in the warm-up's last quarter, under the same load, not in the measured run:
        // reading every process's smaps_rollup under load took the bench 130-810 ms, and sampled in the measured run
        // it cost GET ~10 % of its throughput (two interleaved pairs: 5,822-5,852 against 6,350-6,555 req/s).
        var machine = Machine.Calibrate();
        double pss = 0;
        var sampler = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(warmupSeconds * 0.75));
            pss = LearnApp.Bench.Api.Memory.TotalMegabytes(memoryRoots.Values);
        });
        await Wrk.RunAsync(target, script, threads, connections, warmupSeconds);
        await sampler;
        var cpuBefore = CpuSnapshot.Take(cpuRoots);
        var ticksBefore = Machine.Ticks();
        var proxyMark = proxy?.Log.Mark();
        var run = await Wrk.RunAsync(target, script, threads, connections, seconds);
        var cpuAfter = CpuSnapshot.Take(cpuRoots);
        var proxyTimings = proxy is var (log, method, uri) ? log.ReadSince(proxyMark!.Value, method, uri) : null;
        return new LoadResult(name, run, pss,
            CpuSnapshot.PerOperation(cpuBefore, cpuAfter, (int)run.Requests), CpuSnapshot.SwitchesPerOperation(cpuBefore, cpuAfter, (int)run.Requests), CpuSnapshot.LoadAverage(), $"{machine} before the phase; {Machine.Between(ticksBefore, Machine.Ticks(), run.Requests)} in it", proxyTimings);
    }

    private sealed record Registered(string AccessToken);
}
