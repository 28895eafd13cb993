using System.Text.RegularExpressions;
using Ledger.Core.Events;
using Ledger.Store.Projections;

namespace Ledger.App.ChangeDocs;

/// <summary>
/// Finds the recorded change a hand-written doc describes: by a commit hash in "How to Roll Back"
/// (any 7-40 hex digits that start a recorded commit), else by its date and a file it names. When
/// that leaves no change, or more than one, the doc is reported with the reason: never guessed.
/// </summary>
internal sealed partial class ChangeDocMatcher
{
    private readonly IReadOnlyList<ChangeRecord> _changes;
    private readonly TimeZoneInfo _zone;

    public ChangeDocMatcher(IReadOnlyList<ChangeRecord> changes, TimeZoneInfo zone)
    {
        _changes = changes;
        _zone = zone;
    }

    /// <summary>The change, or null and the reason.</summary>
    public (ChangeRecord? Change, string? Problem) Match(ParsedChangeDoc doc)
    {
        var hashes = HexWord().Matches(doc.RollBack).Select(m => m.Value.ToLowerInvariant()).Distinct().ToArray();
        if (hashes.Length > 0)
        {
            var byHash = _changes.Where(c => hashes.Any(h => c.Commit.Sha.StartsWith(h, StringComparison.Ordinal))).ToArray();
            if (byHash.Length == 0)
            {
                return (null, $"no recorded commit starts with {string.Join(" or ", hashes)} (from How to Roll Back); record the history with ledger import-git first");
            }

            // A hash of the change's own day wins: "git revert <this>" beside "git checkout <the one before>".
            var sameDay = byHash.Where(c => ChangeDocBuilder.LocalDay(c.CommittedAt, _zone) == doc.Date).ToArray();
            var pick = sameDay.Length > 0 ? sameDay : byHash;
            return pick.Length == 1
                ? (pick[0], null)
                : (null, $"How to Roll Back names {pick.Length} recorded commits ({string.Join(", ", pick.Select(c => EventCatalogue.ShortSha(c.Commit.Sha)))}); keep one hash");
        }

        var files = FileWord().Matches(doc.Files).Select(m => m.Value.Trim('`', '.', ',', ';', ':')).Where(f => f.Length > 0).Distinct().ToArray();
        if (files.Length == 0)
        {
            return (null, "How to Roll Back names no commit and Files/Lines Modified names no file: nothing to match it by");
        }

        var candidates = _changes
            .Where(c => ChangeDocBuilder.LocalDay(c.CommittedAt, _zone) == doc.Date)
            .Where(c => c.Commit.Files.Any(f => files.Any(d => SamePath(d, f.Path))))
            .ToArray();
        return candidates.Length switch
        {
            1 => (candidates[0], null),
            0 => (null, $"no recorded change on {doc.Date:yyyy-MM-dd} touches {string.Join(", ", files)}"),
            _ => (null, $"{candidates.Length} recorded changes on {doc.Date:yyyy-MM-dd} touch {string.Join(", ", files)} ({string.Join(", ", candidates.Select(c => EventCatalogue.ShortSha(c.Commit.Sha)))}); add the commit hash to How to Roll Back"),
        };
    }

    /// <summary>A path written in a doc (often absolute, /etc/nixos/...) against a path in the repository.</summary>
    private static bool SamePath(string written, string inRepo) =>
        string.Equals(written, inRepo, StringComparison.Ordinal)
        || written.EndsWith("/" + inRepo, StringComparison.Ordinal)
        || inRepo.EndsWith("/" + written, StringComparison.Ordinal);

    [GeneratedRegex(@"\b[0-9a-fA-F]{7,40}\b")]
    private static partial Regex HexWord();

    // Something that looks like a file: has a slash or an extension (hardware.nix, /etc/nixos/modules/gpu.nix).
    [GeneratedRegex(@"[\w.\-/]*(/[\w.\-]+|\.[A-Za-z][\w]*)")]
    private static partial Regex FileWord();
}
