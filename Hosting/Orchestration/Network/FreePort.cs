using System.Net;
using System.Net.Sockets;

namespace LearnApp.Hosting.Orchestration.Network;

public static class FreePort
{
    /// <summary>A loopback TCP port nothing listens on right now, chosen by the kernel.</summary>
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
