using System.Text;
using System.Text.RegularExpressions;

namespace Ledger.Core.Text;

// Secrets that span lines, part one: armoured blocks (private keys, age and PGP files) whole or
// in part (Redactor.MultiLine.cs has YAML block scalars and Nix multi-line strings). Diff lines
// keep their '+', '-' or ' ' so that a changed secret still reads as a removed and an added line.
public sealed partial class Redactor
{
    private static readonly string[] PublicKinds = ["PUBLIC", "CERTIFICATE", "SIGNATURE", "SIGNED MESSAGE", "CRL", "PARAMETERS", "X509"];

    /// <summary>Certificates, public keys and signatures are not secrets; every other kind (unknown ones included) is.</summary>
    private static bool IsPublicKind(string kind) => PublicKinds.Any(k => kind.Contains(k, StringComparison.Ordinal));

    /// <summary>
    /// An armoured block where <see cref="ArmouredBlockRule"/> matches one: the BEGIN line, the
    /// body, and the END line when it follows the body at once (null when it does not).
    /// </summary>
    internal readonly record struct ArmouredBlock(int Index, int Length, string Begin, string Kind, string Body, string? End) : IFound;

    private const string BeginMark = "-----BEGIN ";
    private const string EndMark = "-----END ";
    private const string FiveDashes = "-----";

    /// <summary>
    /// The first armoured block at or after <paramref name="from"/>, found as the pattern of
    /// <see cref="ArmouredBlockRule"/> finds it, by hand: "-----BEGIN ", a kind of capitals,
    /// digits and spaces, "-----", then a body that runs until a run of five or more dashes (or
    /// until dashes that end the text), then "-----END kind-----" if it stands right there. One
    /// pass over the text, where the regex engine spent tens of microseconds a block on its
    /// captures (a history of sops files holds thousands of age blocks). `RedactorArmourSpecs`
    /// compares the two over random texts.
    /// </summary>
    internal static ArmouredBlock? NextArmouredBlock(string input, int from)
    {
        while (true)
        {
            var at = input.IndexOf(BeginMark, from, StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }

            var kindStart = at + BeginMark.Length;
            var kindEnd = KindEnd(input, kindStart);
            if (kindEnd == kindStart || !input.AsSpan(kindEnd).StartsWith(FiveDashes))
            {
                from = at + 1;
                continue;
            }

            var bodyStart = kindEnd + FiveDashes.Length;
            var bodyEnd = BodyEnd(input, bodyStart);
            string? end = null;
            if (input.AsSpan(bodyEnd).StartsWith(EndMark))
            {
                var endKindStart = bodyEnd + EndMark.Length;
                var endKindEnd = KindEnd(input, endKindStart);
                if (endKindEnd > endKindStart && input.AsSpan(endKindEnd).StartsWith(FiveDashes))
                {
                    end = input[bodyEnd..(endKindEnd + FiveDashes.Length)];
                }
            }

            var length = bodyEnd + (end?.Length ?? 0) - at;
            return new ArmouredBlock(at, length, input[at..bodyStart], input[kindStart..kindEnd], input[bodyStart..bodyEnd], end);
        }
    }

    /// <summary>Where a run of [A-Z0-9 ] that starts at <paramref name="start"/> ends.</summary>
    private static int KindEnd(string input, int start)
    {
        var i = start;
        while (i < input.Length && input[i] is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or ' ')
        {
            i++;
        }

        return i;
    }

    /// <summary>
    /// Where a body that starts at <paramref name="start"/> ends: (?:[^-]|--?-?-?[^-])* taken as
    /// far as it goes, so one to four dashes are part of it when something other than a dash
    /// follows them, and it stops before five dashes or before dashes that end the text.
    /// </summary>
    private static int BodyEnd(string input, int start)
    {
        var i = start;
        while (true)
        {
            var dash = input.IndexOf('-', i);
            if (dash < 0)
            {
                return input.Length;
            }

            var run = dash;
            while (run < input.Length && input[run] == '-')
            {
                run++;
            }

            if (run - dash > 4 || run == input.Length)
            {
                return dash;
            }

            i = run + 1;
        }
    }

    /// <summary>Every armoured block of the text replaced by what <see cref="ArmouredBlockValue(string, ArmouredBlock, int)"/> makes of it.</summary>
    private static string ReplaceArmouredBlocks(string input)
    {
        var lines = default(LineStarts);
        return ReplaceFound(input, NextArmouredBlock, (text, block) => ArmouredBlockValue(text, block, lines.Of(text, block.Index)));
    }

    /// <summary>What the regex's match says of a block (tests compare it with <see cref="NextArmouredBlock"/>).</summary>
    internal static ArmouredBlock FromMatch(Match m) =>
        new(m.Index, m.Length, m.Groups["begin"].Value, m.Groups["kind"].Value, m.Groups["body"].Value, m.Groups["end"].Success ? m.Groups["end"].Value : null);

    /// <summary>The armoured block pattern itself, built on first use (tests compare it with the scanner).</summary>
    internal static Regex ArmouredBlockPattern => ArmouredBlockRule.Regex;

    /// <param name="lineStart">Where the line that holds BEGIN starts.</param>
    private static string ArmouredBlockValue(string input, ArmouredBlock m, int lineStart)
    {
        if (IsPublicKind(m.Kind))
        {
            return input.Substring(m.Index, m.Length);
        }

        var body = m.Body;
        var end = m.End;
        if (BodyIsOnlyMarkers(body))
        {
            return input.Substring(m.Index, m.Length);
        }

        // What stands before BEGIN on its line (a diff prefix, YAML or Nix indentation) stands
        // before every body line: it is not part of the key, so the fingerprint leaves it out.
        var prefixLength = m.Index - lineStart;
        var fingerprint = Fingerprint(KeyMaterial(body, prefixLength));
        var begin = m.Begin;
        var newline = body.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lastBreak = body.LastIndexOf('\n');
        if (lastBreak < 0)
        {
            // One line (a key inside a JSON string with escaped line breaks).
            return begin + fingerprint + end;
        }

        var firstLine = body[(body.IndexOf('\n') + 1)..];
        var firstPrefix = firstLine[..(firstLine.Length - firstLine.TrimStart("+- \t").Length)];
        if (end is not null)
        {
            // The END line's own prefix is what follows the last line break (unless key
            // material runs up to END on the same line: then END gets no prefix).
            var endPrefix = body[(lastBreak + 1)..];
            if (!endPrefix.AsSpan().TrimStart("+- \t").IsEmpty)
            {
                endPrefix = "";
            }

            return begin + newline + firstPrefix + fingerprint + newline + endPrefix + end;
        }

        // No END line: the text was cut inside the key; everything after BEGIN goes.
        return begin + newline + firstPrefix + fingerprint + (body.EndsWith('\n') ? newline : "");
    }

    /// <summary>The key's characters: each line without the prefix BEGIN's line had, all space removed.</summary>
    private static string KeyMaterial(string body, int prefixLength)
    {
        var sb = new StringBuilder(body.Length);
        foreach (var line in body.Split('\n'))
        {
            var start = 0;
            while (start < prefixLength && start < line.Length && line[start] is '+' or '-' or ' ' or '\t')
            {
                start++;
            }

            foreach (var c in line.AsSpan(start))
            {
                if (!char.IsWhiteSpace(c))
                {
                    sb.Append(c);
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>Every line of the body, without its diff prefix and indentation, is a fingerprint or empty (and one is not).</summary>
    private static bool BodyIsOnlyMarkers(string body)
    {
        var any = false;
        foreach (var line in body.Split('\n'))
        {
            var content = line.AsSpan().TrimStart("+- \t").TrimEnd();
            if (content.IsEmpty)
            {
                continue;
            }

            if (!IsOnlyMarkers(content))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    private const int MinKeyLine = 60;
    private const int MaxKeyLine = 100;

    private static string ArmouredBodyValue(string input, Match m)
    {
        var end = m.Groups["end"];
        if (end.Success && IsPublicKind(m.Groups["kind"].Value))
        {
            return m.Value;
        }

        var body = m.Groups["body"].Value;
        var lines = body.Split('\n');
        var first = 0;
        if (!end.Success)
        {
            // Without an END line, only a run of key-width lines (64 for PEM, PGP and age, 70
            // for OpenSSH) is a key body; a short line before the run is ordinary text.
            var wide = lines.Count(l => LineContent(l).Length is >= MinKeyLine and <= MaxKeyLine);
            if (wide < 2)
            {
                return m.Value;
            }

            while (LineContent(lines[first]).Length < MinKeyLine)
            {
                first++;
            }
        }

        var kept = string.Join('\n', lines[..first]) + (first > 0 ? "\n" : "");
        var secret = string.Join('\n', lines[first..]);
        var firstLine = lines[first];
        var prefix = firstLine[..(firstLine.Length - firstLine.TrimStart(" \t").Length)];
        if (firstLine.Length > 1 && firstLine[0] is '+' or '-' && firstLine[1] is ' ' or '\t')
        {
            prefix = firstLine[..(firstLine.Length - firstLine.AsSpan(1).TrimStart(" \t").Length)];
        }

        var material = string.Concat(secret.Where(c => !char.IsWhiteSpace(c)));
        var newline = secret.EndsWith('\n') ? (secret.EndsWith("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n") : "";
        return kept + prefix + Fingerprint(material) + newline + end.Value;
    }

    private static ReadOnlySpan<char> LineContent(string line) => line.AsSpan().Trim();
}
