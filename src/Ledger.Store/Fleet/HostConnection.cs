namespace Ledger.Store.Fleet;

/// <summary>The connection string a fleet host records with: the central server, its own role, TLS by default.</summary>
public static class HostConnection
{
    /// <summary>The SSL modes <c>--ssl-mode</c> takes, as libpq names them.</summary>
    public static readonly IReadOnlyDictionary<string, SslMode> Modes = new Dictionary<string, SslMode>(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = SslMode.Disable,
        ["allow"] = SslMode.Allow,
        ["prefer"] = SslMode.Prefer,
        ["require"] = SslMode.Require,
        ["verify-ca"] = SslMode.VerifyCA,
        ["verify-full"] = SslMode.VerifyFull,
    };

    /// <summary>
    /// Host, port and database of <paramref name="ownerConnection"/> (or <paramref name="address"/>,
    /// <c>HOST[:PORT]</c>, the address the hosts reach the server at), the role and password, and
    /// <c>SSL Mode=VerifyFull</c> unless the server is a Unix socket or <paramref name="sslMode"/>
    /// says otherwise; <paramref name="rootCertificate"/> is the CA file the host checks the server
    /// against (else the host's system trust store). With no <paramref name="password"/>, the host
    /// logs in with the client certificate and key at <paramref name="clientCertificate"/> (paths on
    /// the host).
    /// </summary>
    public static string Build(string ownerConnection, string role, string? password, string? address = null, string? sslMode = null, string? rootCertificate = null, (string Certificate, string Key)? clientCertificate = null)
    {
        var owner = new NpgsqlConnectionStringBuilder(ConnectionStrings.Normalize(ownerConnection));
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = owner.Host,
            Port = owner.Port,
            Database = owner.Database,
            Username = role,
        };
        if (password is not null)
        {
            b.Password = password;
        }

        if (address is { Length: > 0 })
        {
            var colon = address.LastIndexOf(':');
            var bracketed = address.StartsWith('[');
            if (colon > 0 && (!bracketed || address[colon - 1] == ']') && address.Count(c => c == ':') == 1 | bracketed)
            {
                if (!int.TryParse(address[(colon + 1)..], out var port) || port is < 1 or > 65535)
                {
                    throw new StoreException($"--address {address}: the port must be a number from 1 to 65535 (HOST or HOST:PORT).");
                }

                (b.Host, b.Port) = (address[..colon].Trim('[', ']'), port);
            }
            else
            {
                b.Host = address.Trim('[', ']');
            }
        }

        var socket = b.Host!.StartsWith('/') || b.Host.StartsWith('@');
        if (sslMode is { Length: > 0 })
        {
            b.SslMode = Modes.TryGetValue(sslMode, out var mode)
                ? mode
                : throw new StoreException($"--ssl-mode {sslMode}: give one of {string.Join(", ", Modes.Keys)}.");
        }
        else if (!socket)
        {
            b.SslMode = SslMode.VerifyFull;
        }

        if (rootCertificate is { Length: > 0 })
        {
            b.RootCertificate = rootCertificate;
        }

        if (clientCertificate is var (certificate, key))
        {
            b.SslCertificate = certificate;
            b.SslKey = key;
        }

        return b.ConnectionString;
    }
}
