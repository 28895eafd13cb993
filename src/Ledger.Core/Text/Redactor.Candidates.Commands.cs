using System.Buffers;

namespace Ledger.Core.Text;

// Whether a text holds a place where a command-line rule can match (long and short flags, .netrc
// lines): the checks of Redactor.Candidates.cs for the rules that read command lines.
public sealed partial class Redactor
{
    private static readonly SearchValues<string> ShortCommandNames = SearchValues.Create(["mysql", "mariadb"], StringComparison.Ordinal);
    private static readonly SearchValues<string> RareShortCommandNames = SearchValues.Create(["sshpass", "redis-cli"], StringComparison.Ordinal);
    private static readonly string[] UserFlags = ["-u", "-U", "--user", "--proxy-user"];

    /// <summary>
    /// Whether the text can hold a <see cref="CommandLineShortSecretRule"/> match: a mysql or
    /// mariadb command with " -p" after it on its line before any '|', ';' or '&amp;'; sshpass or
    /// redis-cli anywhere; or -u, -U, --user or --proxy-user at a line's start or after a blank,
    /// then blanks and user:password (bare, or in quotes with the ':' inside them).
    /// </summary>
    private static bool HasShortCommandSecret(string text)
    {
        var s = text.AsSpan();
        if (s.ContainsAny(RareShortCommandNames))
        {
            return true;
        }

        for (var from = 0; from < s.Length && s[from..].IndexOfAny(ShortCommandNames) is var hit and >= 0;)
        {
            var at = from + hit;
            var command = s[at..];
            var stop = command.IndexOfAny("\r\n|;&");
            if (stop >= 0)
            {
                command = command[..stop];
            }

            if (command.Contains(" -p", StringComparison.Ordinal) || command.Contains("\t-p", StringComparison.Ordinal))
            {
                return true;
            }

            // A later name before the same stop has a part of the same command after it.
            from = at + command.Length + 1;
        }

        for (var dash = s.IndexOf('-'); dash >= 0; dash = s[(dash + 1)..].IndexOf('-') is var next and >= 0 ? dash + 1 + next : -1)
        {
            if (dash > 0 && s[dash - 1] is not (' ' or '\t' or '\n'))
            {
                continue;
            }

            foreach (var userFlag in UserFlags)
            {
                if (s[dash..].StartsWith(userFlag, StringComparison.Ordinal) && UserPasswordFollows(s[(dash + userFlag.Length)..]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool UserPasswordFollows(ReadOnlySpan<char> s)
    {
        s = s.TrimStart(" \t");
        if (s is ['"' or '\'', ..])
        {
            // In quotes, the user ends at the first ':' before the closing quote or the line's end.
            var user = s[1..];
            var end = user.IndexOfAny(s[0], ':', '\n');
            return end >= 0 && user[end] == ':' && !user[..end].Contains('\r');
        }

        var colon = s.IndexOfAny(BareUserEnds);
        return colon > 0 && s[colon] == ':' && s[(colon + 1)..] is [var c, ..] && !AsciiSpaces.Contains(c) && c is not ('\'' or '"');
    }

    private static readonly SearchValues<char> BareUserEnds = SearchValues.Create(":'\" \t\n\v\f\r");

    /// <summary>
    /// Whether the text can hold a <see cref="NetrcPasswordRule"/> match: "password", blanks and a
    /// value, on a line that has "login" before it or nothing but a diff prefix and indentation
    /// before it and nothing but blanks after the value.
    /// </summary>
    private static bool HasNetrcPassword(string text)
    {
        var s = text.AsSpan();
        var line = -1;            // where the line of the last "password" looked at starts
        var bare = -1;            // where "password" must start on it to be the line's first word
        var login = false;        // whether "login" stands on it before the last "password"
        var searched = 0;         // how far "login" has been looked for
        for (var at = s.IndexOf("password", StringComparison.Ordinal); at >= 0; at = s[(at + 1)..].IndexOf("password", StringComparison.Ordinal) is var next and >= 0 ? at + 1 + next : -1)
        {
            var after = s[(at + "password".Length)..];
            var value = after.IndexOfAnyExcept(' ', '\t');
            if (value <= 0 || AsciiSpaces.Contains(after[value]))
            {
                continue;
            }

            // The line holding it, each line's start and first word found once.
            var start = searched < at && s[searched..at].LastIndexOf('\n') is var newline and >= 0 ? searched + newline + 1 : Math.Max(line, 0);
            if (start != line)
            {
                line = start;
                bare = line < s.Length && s[line] is '+' or '-' or ' ' ? line + 1 : line;
                bare += s[bare..].IndexOfAnyExcept(' ', '\t') is var blanks and >= 0 ? blanks : s.Length - bare;
                login = false;
                searched = line;
            }

            login = login || s[searched..at].Contains("login", StringComparison.Ordinal);
            searched = at;
            if (login)
            {
                return true;
            }

            if (at != bare)
            {
                continue;
            }

            // The value, then nothing but blanks and perhaps a '\r' to the line's end.
            var rest = after[value..];
            var end = rest.IndexOf('\n');
            rest = end < 0 ? rest : rest[..end];
            var valueEnd = rest.IndexOfAny(AsciiSpaces);
            if (valueEnd < 0 || rest[valueEnd..].TrimStart(" \t") is "" or "\r")
            {
                return true;
            }
        }

        return false;
    }
}
