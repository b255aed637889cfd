using System.Globalization;

namespace LearnApp.Compose.Live.Tests;

/// <summary>One socket of a container's network namespace, as the kernel lists it in /proc/net/tcp and tcp6.</summary>
internal sealed record TcpSocket(int LocalPort, string RemoteAddress, int RemotePort, int State)
{
    // The kernel's TCP states, as /proc/net/tcp numbers them.
    public const int Established = 0x01;
    public const int TimeWait = 0x06;

    /// <summary>127.0.0.0/8 or ::1 (IPv4 in host byte order, so the first octet is the last hex pair).</summary>
    public bool IsLoopbackPeer => RemoteAddress.Length == 8
        ? RemoteAddress.EndsWith("7F", StringComparison.Ordinal)
        : RemoteAddress is "00000000000000000000000001000000" || RemoteAddress.EndsWith("FFFF00000100007F", StringComparison.Ordinal);
}

/// <summary>Reads a running container's TCP sockets with <c>cat</c> inside it (the images carry no ss or netstat).</summary>
internal static class TcpTable
{
    public static async Task<IReadOnlyList<TcpSocket>> ReadAsync(string containerId)
    {
        // tcp6 is missing where IPv6 is off; tcp is always there.
        var output = await Docker.OutputAsync("exec", containerId, "sh", "-c", "cat /proc/net/tcp; cat /proc/net/tcp6 2>/dev/null || true");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 3 && fields[0].EndsWith(':'))
            .Select(fields =>
            {
                var (_, localPort) = Endpoint(fields[1]);
                var (remoteAddress, remotePort) = Endpoint(fields[2]);
                return new TcpSocket(localPort, remoteAddress, remotePort, int.Parse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            })];
    }

    private static (string Address, int Port) Endpoint(string field)
    {
        var colon = field.IndexOf(':', StringComparison.Ordinal);
        return (field[..colon], int.Parse(field[(colon + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
