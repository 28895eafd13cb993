using System.Net;
using System.Net.Sockets;

namespace Ledger.IntegrationTests.Checks;

/// <summary>Loopback ports for servers the tests start, and ports where nothing listens.</summary>
internal static class FreePort
{
    /// <summary>A port nothing listens on right now (the system just handed it out and it was closed).</summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
