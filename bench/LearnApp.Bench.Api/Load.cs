using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace LearnApp.Bench.Api;

internal sealed record LoadResult(string Name, int Requests, int Errors, TimeSpan Elapsed, List<double> LatenciesMs, double PssUnderLoadMb, string Cpu, string LoadAverage);

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

    /// <summary>One loop per client, each sending its next request as soon as the last answered.</summary>
    public static async Task<LoadResult> RunAsync(string name, List<HttpClient> clients, int warmupSeconds, int seconds,
        Dictionary<string, int> memoryRoots, Func<HttpClient, Random, Task<HttpResponseMessage>> send)
    {
        await RunLoopsAsync(clients, TimeSpan.FromSeconds(warmupSeconds), send, record: false);
        double pss = 0;
        var sampler = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds / 2.0));
            pss = LearnApp.Bench.Api.Memory.TotalMegabytes(memoryRoots.Values);
        });
        var cpuBefore = CpuSnapshot.Take(memoryRoots);
        var watch = Stopwatch.StartNew();
        var (latencies, errors) = await RunLoopsAsync(clients, TimeSpan.FromSeconds(seconds), send, record: true);
        var elapsed = watch.Elapsed;
        var cpu = CpuSnapshot.PerOperation(cpuBefore, CpuSnapshot.Take(memoryRoots), latencies.Count);
        await sampler;
        return new LoadResult(name, latencies.Count, errors, elapsed, latencies, pss, cpu, CpuSnapshot.LoadAverage());
    }

    private static async Task<(List<double> Latencies, int Errors)> RunLoopsAsync(
        List<HttpClient> clients, TimeSpan duration, Func<HttpClient, Random, Task<HttpResponseMessage>> send, bool record)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = clients.Select((client, index) => Task.Run(async () =>
        {
            var random = new Random(index);
            var latencies = new List<double>(100_000);
            var errors = 0;
            while (Stopwatch.GetTimestamp() < end)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await send(client, random);
                await response.Content.LoadIntoBufferAsync();
                if (!response.IsSuccessStatusCode)
                {
                    errors++;
                }
                if (record)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
            return (latencies, errors);
        })).ToList();
        var results = await Task.WhenAll(loops);
        return ([.. results.SelectMany(r => r.latencies)], results.Sum(r => r.errors));
    }

    private sealed record Registered(string AccessToken);
}
