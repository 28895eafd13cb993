namespace Ledger.Core.Nix;

/// <summary>
/// Where each host of a multi-host configuration keeps its own files: a directory
/// (<c>hosts/NAME/</c>) or a file (<c>machines/NAME.nix</c>). A changed path inside one of them
/// touches that host; any other changed path is shared and touches every host.
/// </summary>
public sealed class HostLayout
{
    /// <summary>Folders that hold one entry per host, at the top of the repository or one level down (<c>nix/hosts/</c>).</summary>
    public static readonly IReadOnlyList<string> Roots = ["hosts", "machines", "systems", "nixosConfigurations"];

    /// <summary>Entries of a host folder that are shared between hosts, not a host, when flake.nix names no hosts.</summary>
    private static readonly HashSet<string> SharedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "common", "shared", "share", "modules", "module", "default", "base", "profiles", "roles", "lib", "global",
        "optional", "features", "users", "templates", "all", "generic", "core", "mixins", "secrets", "overlays",
    };

    private readonly (string Host, string Prefix)[] _directories;

    public HostLayout(IEnumerable<(string Host, string Path)> entries)
    {
        _directories = entries
            .Select(e => (e.Host, Prefix: e.Path.Trim('/') + (e.Path.EndsWith(".nix", StringComparison.Ordinal) ? "" : "/")))
            .OrderByDescending(e => e.Prefix.Length)
            .ToArray();
    }

    public IReadOnlyList<string> Hosts => _directories.Select(d => d.Host).Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <summary>Each host with its directory (ending in <c>/</c>) or file.</summary>
    public IReadOnlyList<(string Host, string Prefix)> Directories => _directories;

    public bool IsEmpty => _directories.Length == 0;

    /// <summary>
    /// The layout found in a tree. <paramref name="entries"/> are the entries of the host folders
    /// (<see cref="Roots"/>): a directory ends in <c>/</c> (<c>hosts/web/</c>,
    /// <c>systems/x86_64-linux/web/</c>), a file does not (<c>machines/web.nix</c>).
    /// <paramref name="declared"/> are the names flake.nix gives (<see cref="FlakeHosts"/>): when
    /// some entries carry those names, only they are hosts. Otherwise every directory that is not a
    /// shared folder (<c>common</c>, <c>modules</c>, <c>_lib</c>, ...) is a host, and files are
    /// shared.
    /// </summary>
    public static HostLayout Detect(IReadOnlySet<string> declared, IEnumerable<string> entries)
    {
        var candidates = entries.Select(e => (Path: e, Name: NameOf(e), Directory: e.EndsWith('/'))).ToArray();
        var named = candidates.Where(c => declared.Contains(c.Name)).ToArray();
        var hosts = named.Length > 0
            ? named
            : candidates.Where(c => c.Directory && !SharedNames.Contains(c.Name) && c.Name[0] is not ('_' or '.')).ToArray();
        return new HostLayout(hosts.Select(h => (h.Name, h.Path)));
    }

    /// <summary>The hosts whose own files <paramref name="paths"/> change, and whether any path lies outside every host's files.</summary>
    public (IReadOnlyList<string> Hosts, bool Shared) Touched(IEnumerable<string> paths)
    {
        var hosts = new SortedSet<string>(StringComparer.Ordinal);
        bool shared = false;
        foreach (var path in paths)
        {
            var owner = _directories.FirstOrDefault(d => d.Prefix.EndsWith('/')
                ? path.StartsWith(d.Prefix, StringComparison.Ordinal)
                : path == d.Prefix);
            if (owner.Host is null)
            {
                shared = true;
            }
            else
            {
                hosts.Add(owner.Host);
            }
        }

        return (hosts.ToArray(), shared);
    }

    /// <summary>The host name an entry stands for: the directory's name, or the file's without <c>.nix</c>.</summary>
    private static string NameOf(string entry)
    {
        var trimmed = entry.TrimEnd('/');
        var name = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        return !entry.EndsWith('/') && name.EndsWith(".nix", StringComparison.Ordinal) ? name[..^4] : name;
    }
}
