using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace LearnApp.Bench.Api;

/// <summary>
/// What the host itself gave a run. The same code cost every process of the stack alike up to twice the CPU per
/// review in one run as in another, nginx and wrk included, which no figure of the app's own explains.
/// </summary>
internal static class Machine
{
    private static readonly byte[] s_block = RandomNumberGenerator.GetBytes(4 << 20);

    /// <summary>
    /// Two probes of the host, taken while the stack idles so they measure the machine, not the stack's own load:
    /// a core's speed (SHA-256 of 4 MiB, the fastest of five) and the median of 2,000 loopback TCP round trips
    /// between two threads, each of which sleeps until the other's write wakes it. That wake-up is what every hop of
    /// a one-at-a-time task pays; it moved between 16 and 107 µs on the idle machine from one minute to the next.
    /// </summary>
    public static string Calibrate()
    {
        var fastest = double.MaxValue;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        for (var i = 0; i < 5; i++)
        {
            var start = Stopwatch.GetTimestamp();
            SHA256.HashData(s_block, hash);
            fastest = Math.Min(fastest, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return string.Create(CultureInfo.InvariantCulture, $"machine: SHA-256 of 4 MiB in {fastest:F2} ms, loopback round trip p50 {LoopbackRoundTripMicroseconds():F0} µs");
    }

    private static double LoopbackRoundTripMicroseconds()
    {
        const int RoundTrips = 2000;
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        server.NoDelay = true;
        var echo = new Thread(() =>
        {
            var buffer = new byte[1];
            while (server.Receive(buffer) == 1)
            {
                server.Send(buffer);
            }
        }) { IsBackground = true };
        echo.Start();

        var times = new double[RoundTrips];
        var message = new byte[1];
        for (var i = 0; i < RoundTrips; i++)
        {
            var start = Stopwatch.GetTimestamp();
            client.Send(message);
            client.Receive(message);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        client.Shutdown(SocketShutdown.Both);
        echo.Join();
        Array.Sort(times);
        return times[RoundTrips / 2];
    }

    /// <summary>The machine's CPU time so far (all cores), how much of it the hypervisor stole, and its context switches.</summary>
    public static MachineTicks Ticks()
    {
        try
        {
            var lines = File.ReadAllLines("/proc/stat");
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
            var cpu = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..9].Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var switches = lines.Single(l => l.StartsWith("ctxt ", StringComparison.Ordinal))[5..];
            return new MachineTicks(cpu.Sum(), cpu[7], long.Parse(switches, CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return new MachineTicks(0, 0, 0);
        }
    }

    /// <summary>
    /// Between two <see cref="Ticks"/>: the share of CPU time the hypervisor gave to others, and the machine's
    /// context switches per operation (every process's, the load side's included).
    /// </summary>
    public static string Between(MachineTicks before, MachineTicks after, long operations) =>
        after.Total <= before.Total
            ? "steal ?"
            : string.Create(CultureInfo.InvariantCulture,
                $"steal {100.0 * (after.Steal - before.Steal) / (after.Total - before.Total):F1} %, {(double)(after.ContextSwitches - before.ContextSwitches) / Math.Max(1, operations):F1} context switches/op");
}

internal readonly record struct MachineTicks(long Total, long Steal, long ContextSwitches);
