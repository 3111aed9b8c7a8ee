using System.Net;
using System.Net.Sockets;

namespace Automation.Testing;

/// <summary>A loopback port no one listens on now, for a server a test starts on a port it must name in advance (a
/// service's management port): the system hands it out as it would an ephemeral port, so parallel tests do not collide.</summary>
public static class FreeTcpPort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
