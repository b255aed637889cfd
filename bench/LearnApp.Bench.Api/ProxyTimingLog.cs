using System.Globalization;

namespace LearnApp.Bench.Api;

/// <summary>A phase's share of nginx's sampled timing log: nginx's own time and its upstream's, in milliseconds.</summary>
internal sealed record ProxyTimings(List<double> Nginx, List<double> Upstream);

/// <summary>Reads nginx's timing log (<c>method uri status request_time upstream_response_time</c>) from a mark on.</summary>
internal sealed class ProxyTimingLog(string path)
{
    /// <summary>Where the next phase's lines will start.</summary>
    public long Mark() => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>The timings of the answered requests to <paramref name="uri"/> logged since <paramref name="mark"/>.</summary>
    public ProxyTimings ReadSince(long mark, string method, string uri)
    {
        var timings = new ProxyTimings([], []);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(mark, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(' ');
            // A request wrk cut off at the phase's end has no upstream time ("-") and status 499: not an answer.
            if (fields.Length == 5 && fields[0] == method && fields[1] == uri && fields[2].StartsWith('2')
                && double.TryParse(fields[3], CultureInfo.InvariantCulture, out var nginx)
                && double.TryParse(fields[4], CultureInfo.InvariantCulture, out var upstream))
            {
                timings.Nginx.Add(nginx * 1000);
                timings.Upstream.Add(upstream * 1000);
            }
        }
        return timings;
    }
}
