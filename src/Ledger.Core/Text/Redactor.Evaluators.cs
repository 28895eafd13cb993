using System.Buffers;
using System.Text.RegularExpressions;

namespace Ledger.Core.Text;

// The built-in rules' evaluators: what a NonBacktracking pattern cannot say (is the value a
// setting or a reference? a uid:gid? a MAC address?) is decided here, match by match.
public sealed partial class Redactor
{
    private static readonly string[] NotSecretNames = ["proxypass", "proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass", "bypass", "compass"];

    private static bool IsNotSecretName(ReadOnlySpan<char> key)
    {
        foreach (var name in NotSecretNames)
        {
            if (key.EndsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        // The shell's working directory, not MYSQL_PWD.
        return key.Equals("pwd", StringComparison.OrdinalIgnoreCase) || key.Equals("oldpwd", StringComparison.OrdinalIgnoreCase);
    }

    private static readonly string[] SettingWords = ["true", "false", "null", "nil", "none", "yes", "no", "on", "off", "~", "|", "|-", "|+", ">", ">-", ">+"];

    private static readonly string[] ReferencePrefixes = ["config.", "cfg.", "pkgs.", "lib.", "builtins.", "types.", "mkOption", "inputs.", "self.", "!secret ", "$(", "$__file{", "$__env{", "/run/", "/var/lib/", "/etc/", "/nix/store/", "env:", "file:", "fd:"];

    /// <summary>A value that names where the secret is (or says there is none) rather than being it.</summary>
    private static bool IsSettingOrReference(ReadOnlySpan<char> value)
    {
        foreach (var word in SettingWords)
        {
            if (value.Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var prefix in ReferencePrefixes)
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return IsVariableReference(value);
    }

    /// <summary>$NAME, ${NAME}, ${config.x.y} (an interpolation, sops-nix placeholders): never $6$... hashes.</summary>
    private static bool IsVariableReference(ReadOnlySpan<char> value)
    {
        if (value.Length < 2 || value[0] != '$')
        {
            return false;
        }

        if (value[1] == '{')
        {
            return value[^1] == '}' && value[2..^1].IndexOfAny('{', '}') < 0 && value.Length > 3;
        }

        var name = value[1..];
        return (char.IsAsciiLetter(name[0]) || name[0] == '_') && !name.ContainsAnyExcept(VariableChars);
    }

    private static readonly SearchValues<char> VariableChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    /// <summary>The quoted or bare value group that matched, with a bare value's trailing comment and space cut.</summary>
    private static (int Index, int Length, bool Bare) ValueOf(string input, Hit m, bool cutQuery = false)
    {
        if (m.Dq.Success)
        {
            return (m.Dq.Index, m.Dq.Length, false);
        }

        if (m.Sq.Success)
        {
            return (m.Sq.Index, m.Sq.Length, false);
        }

        if (!m.Bare.Success)
        {
            return (0, 0, true);
        }

        var span = m.Bare.In(input);
        var comment = span.IndexOf(" #", StringComparison.Ordinal);
        if (comment < 0)
        {
            comment = span.IndexOf("\t#", StringComparison.Ordinal);
        }

        if (comment >= 0)
        {
            span = span[..comment];
        }

        if (cutQuery && span.IndexOfAny('&', '#') is var amp and >= 0)
        {
            span = span[..amp];
        }

        return (m.Bare.Index, span.TrimEnd().Length, true);
    }

    private static string AssignmentValue(string input, Hit m)
    {
        if (IsNotSecretName(m.Key.In(input)))
        {
            return m.Value(input);
        }

        var (index, length, bare) = ValueOf(input, m, cutQuery: m.Query.Success);
        if (bare && !StartsItsLine(input, m.Key.Index))
        {
            // In a sentence or a command line ("rotated: password=x and token y") a bare value
            // ends at a space (and a closing parenthesis it did not open); an INI, YAML or env
            // line's value runs to the end of the line.
            var value = input.AsSpan(index, length);
            var space = value.IndexOfAny(' ', '\t');
            if (space >= 0)
            {
                value = value[..space];
            }

            if (value.EndsWith(')') && !value.Contains('('))
            {
                value = value[..^1];
            }

            length = value.Length;
        }

        return ValueSecret(input, m, index, length);
    }

    /// <summary>Only a diff prefix, indentation, a YAML list dash or "export" stand before the key on its line.</summary>
    /// <remarks>
    /// Read backwards from the key, as far as the prefix goes: looking for the line's start first
    /// made a long line of assignments ("a=x;b=y;...", minified) take quadratic time.
    /// </remarks>
    private static bool StartsItsLine(string input, int keyIndex)
    {
        var i = SkipPrefixBack(input, keyIndex - 1);
        if (i < 0 || input[i] == '\n')
        {
            return true;
        }

        return i >= 5 && input.AsSpan(i - 5, 6).SequenceEqual("export") && SkipPrefixBack(input, i - 6) is var j && (j < 0 || input[j] == '\n');
    }

    /// <summary>The last index at or before <paramref name="from"/> that is not a diff prefix or a blank (-1 at the text's start).</summary>
    private static int SkipPrefixBack(string input, int from)
    {
        var i = from;
        while (i >= 0 && input[i] is '+' or '-' or ' ' or '\t')
        {
            i--;
        }

        return i;
    }

    private static string CommandValue(string input, Hit m)
    {
        var (index, length, bare) = ValueOf(input, m);
        var value = input.AsSpan(index, length);
        if (bare && value.StartsWith('-'))
        {
            return m.Value(input); // "--password --next-flag": the value is another flag
        }

        // docker run -u 1000:100 is a uid and gid.
        if (m.User.Success && !m.User.In(input).ContainsAnyExceptInRange('0', '9') && !value.ContainsAnyExceptInRange('0', '9'))
        {
            return m.Value(input);
        }

        return ValueSecret(input, m, index, length);
    }

    private static string ValueSecret(string input, Hit m, int index, int length)
    {
        if (length == 0)
        {
            return m.Value(input);
        }

        var value = input.AsSpan(index, length);
        if (IsSettingOrReference(value) || IsOnlyMarkers(value) || IsInsideMarker(input, index, length))
        {
            return m.Value(input);
        }

        return ReplaceSpan(input, m.Index, m.Length, index, length, Fingerprint(value.ToString()));
    }

    private static string AuthorizationValue(string input, Hit m)
    {
        var value = m.Secret.In(input);

        // Jellyfin's "MediaBrowser Client=..., Token=..." lists parameters; the name rule takes Token.
        if (value.Length > 1 && value[^1] == '=' && !value[..^1].ContainsAnyExcept(VariableChars) && value.Length < 20)
        {
            return m.Value(input);
        }

        return IsVariableReference(value) ? m.Value(input) : Secret(input, m.Index, m.Length, m.Secret);
    }

    private static string PgpassValue(string input, Match m)
    {
        // MAC and IPv6 addresses have the same shape: all hex digits and colons.
        var line = input.AsSpan(m.Groups["fields"].Index, m.Groups["fields"].Length + m.Groups["secret"].Length);
        if (!line.ContainsAnyExcept(HexDigitsAndColon))
        {
            return m.Value;
        }

        return Secret(input, m, m.Groups["secret"]);
    }

    private static readonly SearchValues<char> HexDigitsAndColon = SearchValues.Create("0123456789abcdefABCDEF:");
}
