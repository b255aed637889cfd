using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Bench.Api;

/// <summary>
/// What one wrk run reports: its own counts and latency histogram (closed loop, one request in flight per connection),
/// and its split of the errors, e.g. "connect 0 read 1 write 0 status 0 timeout 0" (status: answers outside 2xx/3xx).
/// </summary>
internal sealed record WrkResult(long Requests, long Errors, string ErrorKinds, TimeSpan Elapsed, double P50Ms, double P99Ms);

/// <summary>
/// The throughput load generator: wrk (C, epoll), one connection per simulated user, a few threads that each send
/// as their share of the users in turn.
/// With the nginx front door it costs the shared cores ~85–100 µs per GET, where the HttpClient loop and YARP proxy
/// in this process cost ~110, and its latency histogram is wrk's own. Its CPU is reported: it is reaped into this
/// process's children time (see <see cref="CpuSnapshot"/>).
/// </summary>
internal static partial class Wrk
{
    /// <summary>The program's path, or a one-line refusal that says how to get it.</summary>
    public static string Find(string program, string path) => File.Exists(path)
        ? path
        : throw new InvalidOperationException($"the Api bench needs {program} ({path}): apt-get install -y --no-install-recommends wrk nginx-light");

    /// <summary>
    /// Writes the script: of n threads, thread i sends as users i, i + n, i + 2n… in turn (<c>auth()</c>), and
    /// <paramref name="requestLua"/> returns wrk.format(...). A thread has as many connections as users, so a user's
    /// next request normally goes out after its last one was answered, like a learner's; only when answers come back
    /// out of order can one user have two in flight.
    /// </summary>
    public static async Task<string> WriteScriptAsync(string workDirectory, string name, IReadOnlyList<string> tokens, string requestLua)
    {
        var script = new StringBuilder();
        script.Append("local tokens = {");
        script.AppendJoin(", ", tokens.Select(t => $"\"{t}\""));
        script.Append("}\n");
        script.Append(
            """
            local threads = 0
            setup = function(thread)
              threads = threads + 1
              thread:set("first", threads)
              thread:set("seed", math.random(1, 1000000))
            end
            local mine, turn = {}, 0
            init = function(args)
              math.randomseed(seed)
              local count = tonumber(args[1])
              for i = first, #tokens, count do mine[#mine + 1] = tokens[i] end
            end
            local function auth()
              turn = turn % #mine + 1
              return "Bearer " .. mine[turn]
            end
            request = function()

            """);
        script.Append(requestLua).Append('\n');
        script.Append(
            """
            end
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("wrk-result requests=%d errors=%d duration_us=%d p50_us=%d p99_us=%d kinds=connect %d read %d write %d status %d timeout %d\n",
                summary.requests, e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
                latency:percentile(50), latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
            end

            """);
        var path = Path.Combine(workDirectory, name + ".lua");
        await File.WriteAllTextAsync(path, script.ToString());
        return path;
    }

    public static async Task<WrkResult> RunAsync(Uri target, string script, int threads, int connections, int seconds)
    {
        var result = await ProcessRunner.RunToCompletionAsync(new ProcessSpec(Find("wrk", "/usr/bin/wrk"))
        {
            Arguments = ["--threads", threads.ToString(CultureInfo.InvariantCulture),
                "--connections", connections.ToString(CultureInfo.InvariantCulture),
                "--duration", $"{seconds.ToString(CultureInfo.InvariantCulture)}s", "--timeout", "10s",
                "--script", script, target.ToString(), "--", threads.ToString(CultureInfo.InvariantCulture)],
        });
        var line = ResultLine().Match(result.Output);
        if (result.ExitCode != 0 || !line.Success)
        {
            throw new InvalidOperationException($"wrk failed (exit {result.ExitCode}):\n{result.Output}");
        }
        long Field(string name) => long.Parse(line.Groups[name].Value, CultureInfo.InvariantCulture);
        return new WrkResult(Field("requests"), Field("errors"), line.Groups["kinds"].Value, TimeSpan.FromMicroseconds(Field("duration")),
            Field("p50") / 1000.0, Field("p99") / 1000.0);
    }

    [GeneratedRegex(@"wrk-result requests=(?<requests>\d+) errors=(?<errors>\d+) duration_us=(?<duration>\d+) p50_us=(?<p50>\d+) p99_us=(?<p99>\d+) kinds=(?<kinds>[a-z0-9 ]+)")]
    private static partial Regex ResultLine();
}
