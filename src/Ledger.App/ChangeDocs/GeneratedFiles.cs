using System.Text;

namespace Ledger.App.ChangeDocs;

/// <summary>What one <see cref="GeneratedFiles.WriteAsync"/> did.</summary>
internal sealed record WriteResult(int Written, int Unchanged, IReadOnlyList<string> Removed, IReadOnlyList<string> Refused);

/// <summary>
/// Writes a set of generated files into a folder that may also hold files written by hand. The
/// manifest (<see cref="ManifestName"/>) lists what Ledger wrote last time: only those files are
/// ever removed, and an existing file that Ledger did not write is never overwritten. Files whose
/// bytes are unchanged are not rewritten, so a second run changes nothing at all.
/// </summary>
internal static class GeneratedFiles
{
    public const string ManifestName = ".ledger-manifest";

    private const string ManifestHeader = "# Files written by Ledger (ledger docs). Only these are replaced or removed when the docs are written again.";

    public static async Task<WriteResult> WriteAsync(string dir, IReadOnlyList<(string Name, string Content)> files, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        var previous = await ReadManifestAsync(dir, ct);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        int written = 0, unchanged = 0;
        var refused = new List<string>();
        var wrote = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var (name, content) in files)
        {
            var path = Path.Combine(dir, name);
            var bytes = utf8.GetBytes(content);
            if (File.Exists(path))
            {
                var existing = await File.ReadAllBytesAsync(path, ct);
                if (existing.AsSpan().SequenceEqual(bytes))
                {
                    unchanged++;
                    wrote.Add(name);
                    continue;
                }

                if (!previous.Contains(name))
                {
                    // Someone else's file under a name Ledger wants: leave it, say so.
                    refused.Add(name);
                    continue;
                }
            }

            var temp = path + ".ledger-tmp";
            await File.WriteAllBytesAsync(temp, bytes, ct);
            File.Move(temp, path, overwrite: true);
            written++;
            wrote.Add(name);
        }

        var removed = new List<string>();
        foreach (var name in previous.Where(n => !wrote.Contains(n) && !refused.Contains(n)).Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                File.Delete(path);
                removed.Add(name);
            }
        }

        var manifest = ManifestHeader + "\n" + string.Concat(wrote.Select(n => n + "\n"));
        var manifestPath = Path.Combine(dir, ManifestName);
        if (!File.Exists(manifestPath) || !string.Equals(await File.ReadAllTextAsync(manifestPath, ct), manifest, StringComparison.Ordinal))
        {
            await File.WriteAllTextAsync(manifestPath, manifest, utf8, ct);
        }

        return new WriteResult(written, unchanged, removed, refused);
    }

    /// <summary>The names the manifest of <paramref name="dir"/> lists (none when there is no manifest).</summary>
    public static async Task<HashSet<string>> ReadManifestAsync(string dir, CancellationToken ct)
    {
        var path = Path.Combine(dir, ManifestName);
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return names;
        }

        foreach (var line in await File.ReadAllLinesAsync(path, ct))
        {
            var name = line.Trim();
            // Only plain names in this folder: a manifest edited to point elsewhere removes nothing outside it.
            if (name.Length > 0 && !name.StartsWith('#') && name == Path.GetFileName(name) && name is not "." and not "..")
            {
                names.Add(name);
            }
        }

        return names;
    }
}
