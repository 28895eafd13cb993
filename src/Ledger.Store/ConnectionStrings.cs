using System.Data.Common;
using System.Text;

namespace Ledger.Store;

/// <summary>
/// Reads the connection strings users give (<c>--db</c>, <c>LEDGER_DB</c>) in the three forms
/// PostgreSQL users know: Npgsql's <c>Host=...;Username=...;Database=...</c>, libpq's URL
/// <c>postgresql://user@host:5432/db?sslmode=require</c> (what <c>ledger db url</c> prints and
/// <c>psql</c> takes), and libpq's <c>host=... dbname=...</c>. A string that is none of them is
/// refused with what was wrong, before anything tries to connect.
/// </summary>
public static class ConnectionStrings
{
    private const string Forms =
        "Give a connection string as 'Host=db.example.org;Username=ledger;Database=ledger' (Npgsql), " +
        "'postgresql://ledger@db.example.org/ledger' (URL) or 'host=db.example.org user=ledger dbname=ledger' (libpq).";

    // libpq's parameter names, as Npgsql names them. Values pass through unchanged unless noted.
    private static readonly Dictionary<string, string> LibpqKeywords = new(StringComparer.Ordinal)
    {
        ["host"] = "Host",
        ["port"] = "Port",
        ["dbname"] = "Database",
        ["user"] = "Username",
        ["password"] = "Password",
        ["passfile"] = "Passfile",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["options"] = "Options",
        ["sslmode"] = "SSL Mode",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["sslrootcert"] = "Root Certificate",
        ["gssencmode"] = "GSS Encryption Mode",
        ["target_session_attrs"] = "Target Session Attributes",
        ["krbsrvname"] = "Kerberos Service Name",
    };

    /// <summary>Where a connection string points, for messages: <c>user@host[:port]/database</c>, never the password.</summary>
    public static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString.Contains("://", StringComparison.Ordinal) || LooksLikeLibpq(connectionString.Trim()) ? Normalize(connectionString) : connectionString);
        return $"{b.Username}@{b.Host}{(b.Port != 5432 ? ":" + b.Port : "")}/{b.Database}";
    }

    /// <summary>
    /// The Npgsql form of <paramref name="connectionString"/> (any of the three forms), or a
    /// <see cref="StoreException"/> (exit 2) that says what is wrong with it and what to give instead.
    /// </summary>
    public static string Normalize(string connectionString)
    {
        var given = connectionString.Trim();
        if (given.Length == 0)
        {
            throw Refused("the connection string is empty.");
        }

        var keywordForm = given.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || given.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            ? FromUrl(given)
            : LooksLikeLibpq(given) ? FromLibpq(given) : given;

        NpgsqlConnectionStringBuilder b;
        try
        {
            b = new NpgsqlConnectionStringBuilder(keywordForm);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw Refused($"'{Redact(given)}' is not a connection string Ledger can read ({e.Message}).", e);
        }

        if (string.IsNullOrWhiteSpace(b.Host))
        {
            throw Refused(
                $"'{Redact(given)}' names no host. Add one (Host=localhost, or a Unix socket directory such as Host=/run/postgresql).");
        }

        return b.ConnectionString;
    }

    /// <summary>
    /// <see cref="Normalize"/>, then three defaults, each only when the connection string does not
    /// set it itself. GSS encryption off: Npgsql prefers it over TCP, which loads Kerberos and asks
    /// for credentials on every new connection (about 100 ms per process, most of a git hook's
    /// time); <c>Gss Encryption Mode=Prefer</c> turns it back on. PostgreSQL's JIT off
    /// (<c>Options=-c jit=off</c>): the monthly report's aggregations over a month of snapshots
    /// spent more time compiling (1.6 s of 3.7 s in one query) than the JIT saved. TLS with the
    /// server's certificate and name checked (<c>SSL Mode=VerifyFull</c>) for a server over the
    /// network (<see cref="IsRemote"/>); <c>SSL Mode=Disable</c> (or any other mode) overrides it.
    /// </summary>
    public static string WithDefaults(string connectionString)
    {
        connectionString = Normalize(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = given.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToList();
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        if (!keys.Contains("GssEncryptionMode", StringComparer.OrdinalIgnoreCase))
        {
            b.GssEncryptionMode = GssEncryptionMode.Disable;
        }

        if (!keys.Contains("Options", StringComparer.OrdinalIgnoreCase))
        {
            b.Options = "-c jit=off";
        }

        if (!keys.Contains("SSLMode", StringComparer.OrdinalIgnoreCase) && IsRemote(b.Host))
        {
            b.SslMode = SslMode.VerifyFull;
        }

        return b.ConnectionString;
    }

    /// <summary>
    /// True when <paramref name="hosts"/> (Npgsql's Host, possibly several, comma-separated) names a
    /// server over the network: not a Unix socket directory, not localhost or a loopback address.
    /// Such a connection is encrypted and the server's name checked (<c>SSL Mode=VerifyFull</c>)
    /// unless the connection string says otherwise.
    /// </summary>
    public static bool IsRemote(string? hosts) =>
        (hosts ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(h =>
        {
            var name = h.StartsWith('[') ? h[1..h.IndexOf(']', StringComparison.Ordinal)]
                : System.Net.IPAddress.TryParse(h, out _) ? h // an IPv6 address without a port
                : h.Split(':')[0];
            return !(name.StartsWith('/') || name.StartsWith('@')
                || name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                || (System.Net.IPAddress.TryParse(name, out var ip) && System.Net.IPAddress.IsLoopback(ip)));
        });

    /// <summary>libpq's URL: <c>postgresql://[user[:password]@][host][:port][,host2[:port2]][/dbname][?param=value&amp;...]</c>.</summary>
    private static string FromUrl(string url)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var pairs = new List<(string Key, string Value)>();
        var query = "";
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            (rest, query) = (rest[..q], rest[(q + 1)..]);
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        if (slash >= 0 && rest[(slash + 1)..] is { Length: > 0 } db)
        {
            pairs.Add(("dbname", Decode(db, url)));
        }

        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            pairs.Add(("user", Decode(colon >= 0 ? userInfo[..colon] : userInfo, url)));
            if (colon >= 0)
            {
                pairs.Add(("password", Decode(userInfo[(colon + 1)..], url)));
            }
        }

        if (authority.Length > 0)
        {
            var hosts = authority.Split(',').Select(h => HostAndPort(Decode(h, url))).ToList();
            if (hosts.Count == 1)
            {
                pairs.Add(("host", hosts[0].Host));
                if (hosts[0].Port is { } port)
                {
                    pairs.Add(("port", port));
                }
            }
            else
            {
                // Npgsql takes several hosts as one list, each with its own port.
                pairs.Add(("host", string.Join(",", hosts.Select(h => h.Port is null ? h.Host : $"{h.Host}:{h.Port}"))));
            }
        }

        foreach (var p in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw Refused($"the URL's parameter '{p}' has no value (write name=value).");
            }

            pairs.Add((Decode(p[..eq], url), Decode(p[(eq + 1)..], url)));
        }

        return ToNpgsql(pairs, "URL");
    }

    private static (string Host, string? Port) HostAndPort(string part)
    {
        if (part.StartsWith('['))
        {
            var close = part.IndexOf(']', StringComparison.Ordinal);
            var host = close > 0 ? part[1..close] : part;
            var after = close > 0 ? part[(close + 1)..] : "";
            return (host, after.StartsWith(':') ? after[1..] : null);
        }

        var colon = part.LastIndexOf(':');
        return colon >= 0 ? (part[..colon], part[(colon + 1)..]) : (part, null);
    }

    /// <summary>libpq's <c>key=value key='quoted value'</c> form: no semicolons, at least one key known to libpq.</summary>
    private static bool LooksLikeLibpq(string s) =>
        !s.Contains(';', StringComparison.Ordinal)
        && SplitLibpq(s) is { Count: > 0 } pairs
        && pairs.All(p => p.Key.Length > 0 && p.Key.All(c => char.IsAsciiLetterLower(c) || c == '_'))
        && pairs.Any(p => LibpqKeywords.ContainsKey(p.Key));

    private static string FromLibpq(string s) => ToNpgsql(SplitLibpq(s)!, "libpq");

    private static List<(string Key, string Value)>? SplitLibpq(string s)
    {
        var pairs = new List<(string, string)>();
        var i = 0;
        while (true)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                i++;
            }

            if (i == s.Length)
            {
                return pairs;
            }

            var eq = s.IndexOf('=', i);
            if (eq < 0)
            {
                return null;
            }

            var key = s[i..eq].Trim();
            i = eq + 1;
            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                i++;
            }

            var value = new StringBuilder();
            if (i < s.Length && s[i] == '\'')
            {
                for (i++; i < s.Length && s[i] != '\''; i++)
                {
                    if (s[i] == '\\' && i + 1 < s.Length)
                    {
                        i++;
                    }

                    value.Append(s[i]);
                }

                if (i == s.Length)
                {
                    return null;
                }

                i++;
            }
            else
            {
                for (; i < s.Length && !char.IsWhiteSpace(s[i]); i++)
                {
                    value.Append(s[i]);
                }
            }

            pairs.Add((key, value.ToString()));
        }
    }

    private static string ToNpgsql(List<(string Key, string Value)> pairs, string form)
    {
        var b = new DbConnectionStringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (!LibpqKeywords.TryGetValue(key, out var npgsqlKey))
            {
                throw Refused(
                    $"the {form} parameter '{key}' is not one Ledger knows (it reads {string.Join(", ", LibpqKeywords.Keys)}). " +
                    "Use the Npgsql form for other settings.");
            }

            b[npgsqlKey] = key switch
            {
                "sslmode" => value.ToLowerInvariant() switch
                {
                    "verify-ca" => "VerifyCA",
                    "verify-full" => "VerifyFull",
                    _ => value,
                },
                _ => value,
            };
        }

        return b.ConnectionString;
    }

    private static string Decode(string part, string url)
    {
        try
        {
            return Uri.UnescapeDataString(part);
        }
        catch (UriFormatException e)
        {
            throw Refused($"'{Redact(url)}' has a malformed %-escape.", e);
        }
    }

    /// <summary>The string with any password replaced, fit to print.</summary>
    private static string Redact(string s)
    {
        if (s.Contains("://", StringComparison.Ordinal))
        {
            var start = s.IndexOf("://", StringComparison.Ordinal) + 3;
            var at = s.IndexOf('@', start);
            var colon = s.IndexOf(':', start);
            if (at > 0 && colon > 0 && colon < at)
            {
                s = s[..(colon + 1)] + "***" + s[at..];
            }
        }

        return System.Text.RegularExpressions.Regex.Replace(
            s,
            @"(?i)(password|pwd|sslpassword|ssl\s*password)(\s*=\s*)('[^']*'|[^;\s]*)",
            "$1$2***");
    }

    private static StoreException Refused(string what, Exception? inner = null) =>
        new($"The database connection string (--db / LEDGER_DB) cannot be used: {what}\n{Forms}", inner: inner);
}
