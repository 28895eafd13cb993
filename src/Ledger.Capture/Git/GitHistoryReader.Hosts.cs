using Ledger.Core.Nix;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

/// <summary>The facts about Nix that a commit's event carries, as <see cref="GitHistoryReader.DeriveNix"/> derives them again.</summary>
public sealed record NixFacts(IReadOnlyList<FlakeInputChange>? FlakeInputs, string? FlakeLockProblem, IReadOnlyList<string>? Hosts, bool? Shared);

// Which hosts of a multi-host configuration a commit touches, from the layout on both sides of it.
public sealed partial class GitHistoryReader
{
    private readonly Dictionary<string, HostLayout> _layouts = new(StringComparer.Ordinal);

    /// <summary>
    /// The hosts whose own files the commit changes and whether it changes anything outside them,
    /// or nulls when the repository has no host layout (a single-host configuration). The layout is
    /// the configured one (<see cref="HostDirectories"/>) or the one found in the commit's tree and
    /// its first parent's, so a commit that removes a host still names it.
    /// </summary>
    private (IReadOnlyList<string>? Hosts, bool? Shared) HostsOf(Commit commit, IReadOnlyList<FileChange> files)
    {
        try
        {
            var layout = HostDirectories.Configured ?? LayoutOf(commit.Tree, commit.Parents.FirstOrDefault()?.Tree);
            if (layout.IsEmpty)
            {
                return (null, null);
            }

            var (hosts, shared) = layout.Touched(files.SelectMany(f => f.OldPath is null || f.OldPath == f.Path ? [f.Path] : new[] { f.OldPath, f.Path }));
            return (hosts, shared);
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            // The layout is a reading aid; a tree that cannot be read leaves the commit without it.
            return (null, null);
        }
    }

    /// <summary>
    /// The Nix facts of a commit recorded earlier, from its stored file list: what a reader of this
    /// build would put in <see cref="ConfigEdited.FlakeInputs"/>, <see cref="ConfigEdited.FlakeLockProblem"/>,
    /// <see cref="ConfigEdited.Hosts"/> and <see cref="ConfigEdited.Shared"/>. Null when the commit is
    /// not in the repository any more.
    /// </summary>
    public NixFacts? DeriveNix(string sha, IReadOnlyList<FileChange> files)
    {
        if (_repo.Lookup<Commit>(sha) is not { } commit)
        {
            return null;
        }

        var (inputs, problem) = FlakeInputsOf(commit, files);
        var (hosts, shared) = HostsOf(commit, files);
        return new NixFacts(inputs, problem, hosts, shared);
    }

    private HostLayout LayoutOf(Tree tree, Tree? parent)
    {
        var sides = parent is null ? new[] { tree } : [tree, parent];
        var roots = sides.SelectMany(HostRoots).ToArray();
        var flakes = sides.Select(t => t["flake.nix"]?.Target).OfType<Blob>().ToArray();
        var key = string.Join(' ', roots.Select(r => r.Path + "=" + r.Tree.Sha).Concat(flakes.Select(f => f.Sha)));
        if (_layouts.TryGetValue(key, out var known))
        {
            return known;
        }

        var declared = flakes.SelectMany(f => FlakeHosts.Names(f.GetContentText())).ToHashSet(StringComparer.Ordinal);
        var entries = roots.SelectMany(r => EntriesOf(r.Path, r.Tree)).Distinct(StringComparer.Ordinal).ToArray();
        var layout = HostLayout.Detect(declared, entries);
        if (_layouts.Count > 1024)
        {
            _layouts.Clear();
        }

        _layouts[key] = layout;
        return layout;
    }

    /// <summary>The host folders of a tree (<see cref="HostLayout.Roots"/>), at its top or one level down.</summary>
    private static IEnumerable<(string Path, Tree Tree)> HostRoots(Tree tree)
    {
        foreach (var entry in tree)
        {
            if (entry.Target is not Tree sub)
            {
                continue;
            }

            if (HostLayout.Roots.Contains(entry.Name))
            {
                yield return (entry.Name, sub);
                continue;
            }

            foreach (var root in HostLayout.Roots)
            {
                if (sub[root]?.Target is Tree nested)
                {
                    yield return ($"{entry.Name}/{root}", nested);
                }
            }
        }
    }

    /// <summary>A host folder's entries: directories end in <c>/</c>; a platform folder (<see cref="IsPlatform"/>) is looked into.</summary>
    private static IEnumerable<string> EntriesOf(string path, Tree tree)
    {
        foreach (var entry in tree)
        {
            var full = $"{path}/{entry.Name}";
            if (entry.Target is Tree sub && IsPlatform(entry.Name))
            {
                foreach (var inner in sub)
                {
                    yield return inner.Target is Tree ? $"{full}/{inner.Name}/" : $"{full}/{inner.Name}";
                }
            }
            else if (entry.Target is Tree)
            {
                yield return full + "/";
            }
            else if (entry.Name.EndsWith(".nix", StringComparison.Ordinal))
            {
                yield return full;
            }
        }
    }

    /// <summary>A folder that groups hosts by platform (<c>x86_64-linux</c>, <c>aarch64-darwin</c>, <c>nixos</c>, <c>darwin</c>): its entries are the hosts.</summary>
    private static bool IsPlatform(string name) =>
        name is "nixos" or "darwin" || name.EndsWith("-linux", StringComparison.Ordinal) || name.EndsWith("-darwin", StringComparison.Ordinal);
}
