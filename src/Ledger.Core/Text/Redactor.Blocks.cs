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

    private static string ArmouredBlockValue(string input, Match m)
    {
        if (IsPublicKind(m.Groups["kind"].Value))
        {
            return m.Value;
        }

        var body = m.Groups["body"].Value;
        var end = m.Groups["end"];
        if (BodyIsOnlyMarkers(body))
        {
            return m.Value;
        }

        // What stands before BEGIN on its line (a diff prefix, YAML or Nix indentation) stands
        // before every body line: it is not part of the key, so the fingerprint leaves it out.
        var lineStart = input.LastIndexOf('\n', Math.Max(0, m.Index - 1)) + 1;
        var prefixLength = m.Index - lineStart;
        var fingerprint = Fingerprint(KeyMaterial(body, prefixLength));
        var begin = m.Groups["begin"].Value;
        var newline = body.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lastBreak = body.LastIndexOf('\n');
        if (lastBreak < 0)
        {
            // One line (a key inside a JSON string with escaped line breaks).
            return begin + fingerprint + end.Value;
        }

        var firstLine = body[(body.IndexOf('\n') + 1)..];
        var firstPrefix = firstLine[..(firstLine.Length - firstLine.TrimStart("+- \t").Length)];
        if (end.Success)
        {
            // The END line's own prefix is what follows the last line break (unless key
            // material runs up to END on the same line: then END gets no prefix).
            var endPrefix = body[(lastBreak + 1)..];
            if (!endPrefix.AsSpan().TrimStart("+- \t").IsEmpty)
            {
                endPrefix = "";
            }

            return begin + newline + firstPrefix + fingerprint + newline + endPrefix + end.Value;
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
