using System.Globalization;
using System.Net;
using Ledger.Core.Errors;

namespace Ledger.Cli.Serve;

/// <summary>
/// Where the daemon listens: <c>ADDR:PORT</c> with an IPv4 address, a bracketed IPv6 address or
/// <c>localhost</c> (both loopbacks). Port 0 takes a free port (the demo and the tests do).
/// <see cref="Address"/> is null for <c>localhost</c>: Kestrel then listens on 127.0.0.1 and ::1.
/// </summary>
internal sealed record ListenAddress(IPAddress? Address, int Port)
{
    public bool IsLoopback => Address is null || IPAddress.IsLoopback(Address);

    public static ListenAddress Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon > 0 && text[..colon] == "localhost" && TryPort(text[(colon + 1)..], out var localPort))
        {
            return new ListenAddress(null, localPort);
        }

        if (IPEndPoint.TryParse(text, out var endpoint) && colon > 0 && !text.EndsWith(']') && (endpoint.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || text.StartsWith('[')))
        {
            return new ListenAddress(endpoint.Address, endpoint.Port);
        }

        throw new LedgerException(
            $"--listen {text}: expected ADDR:PORT, e.g. 127.0.0.1:9977, [::1]:9977, 0.0.0.0:9977 (every interface) or localhost:9977.");
    }

    public override string ToString() => Address switch
    {
        null => $"localhost:{Port}",
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } a => $"[{a}]:{Port}",
        var a => $"{a}:{Port}",
    };

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= IPEndPoint.MaxPort;
}
