using System.Net;
using System.Net.Sockets;
using LearnApp.Hosting.Orchestration.Network;

namespace LearnApp.Hosting.Orchestration;

/// <summary>Hands out loopback ports: free ones from the kernel, fixed ones only when nothing listens there.</summary>
internal sealed class PortAllocator
{
    private readonly HashSet<int> _handedOut = [];
    private readonly Lock _lock = new();

    public int Free()
    {
        while (true)
        {
            var port = FreePort.Pick();
            lock (_lock)
            {
                if (_handedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }

    /// <summary>Returns an error message when the fixed port is taken.</summary>
    public string? Reserve(int port, string resourceName, string endpointName)
    {
        bool added;
        lock (_lock)
        {
            added = _handedOut.Add(port);
        }
        if (!added)
        {
            return $"port {port} of endpoint '{endpointName}' is also used by another resource: give one of them another port";
        }
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return null;
        }
        catch (SocketException)
        {
            return $"port {port} of endpoint '{endpointName}' is in use: stop the program using it (ss -ltnp 'sport = :{port}') or change the port of '{resourceName}'";
        }
    }
}
