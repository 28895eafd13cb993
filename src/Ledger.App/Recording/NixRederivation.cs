using System.Text.Json;
using Ledger.Capture.Git;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.Store;

namespace Ledger.App.Recording;

/// <summary>What <c>import-git --rederive</c> did: commits looked at, facts appended, commits no longer in the repository.</summary>
internal sealed record RederiveResult(int Looked, int Derived, int Missing);

/// <summary>
/// Gives commits recorded by an earlier Ledger the facts this one derives (flake inputs, hosts):
/// each commit's stored file list is read again against the repository, and where the result
/// differs from what its event says (with earlier derivations merged), a <see cref="ChangeDerived"/>
/// is appended to its stream. Stored events are never edited; running it again adds nothing.
/// </summary>
internal static class NixRederivation
{
    private const int PageSize = 500;

    public static async Task<RederiveResult> RunAsync(LedgerStore store, GitHistoryReader reader, string host, string actor, CancellationToken ct)
    {
        int looked = 0, derived = 0, missing = 0;

        // Oldest first, a page at a time: a commit's layout comes from its parent's, and a long
        // history's patches are never all in memory at once.
        var query = new TimelineQuery { Host = host, Kinds = ["config-edit"], FromOldest = true, Limit = PageSize };
        while (true)
        {
            var page = (await store.TimelineAsync(query, ct)).OrderBy(e => e.Seq).ToList();
            foreach (var e in page)
            {
                if (e.Data is not ConfigEdited c || c.Repo != reader.RepoKey)
                {
                    continue;
                }

                looked++;
                if (reader.DeriveNix(c.Sha, c.Files) is not { } facts)
                {
                    missing++;
                    continue;
                }

                if (Same(facts.FlakeInputs, c.FlakeInputs) && facts.FlakeLockProblem == c.FlakeLockProblem && Same(facts.Hosts, c.Hosts) && facts.Shared == c.Shared)
                {
                    continue;
                }

                await store.AppendAsync(new NewEvent(e.StreamKey, new ChangeDerived(host, actor, e.Seq, c.Repo, c.Sha, facts.FlakeInputs, facts.FlakeLockProblem, facts.Hosts, facts.Shared)), ct);
                derived++;
            }

            if (page.Count < PageSize)
            {
                break;
            }

            query = query with { FromOldest = false, AfterSeq = page[^1].Seq };
        }

        return new RederiveResult(looked, derived, missing);
    }

    private static bool Same<T>(T? a, T? b) =>
        JsonSerializer.Serialize(a, EventJson.Options) == JsonSerializer.Serialize(b, EventJson.Options);
}
