using System.CommandLine;
using Ledger.App.Recording;
using Ledger.Capture.Git;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.Cli.Commands;

internal static class RecordCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var rev = new Argument<string>("rev") { Description = "The commit to record (default HEAD)", DefaultValueFactory = _ => "HEAD" };
        var repo = CommonOptions.Repo();
        var host = CommonOptions.RecordHost();
        var purpose = new Option<string?>("--purpose") { Description = "Why the change was made (default: the first line of the commit message)" };
        var notes = new Option<string?>("--notes") { Description = "Links, references, anything worth keeping with the change" };
        var commit = new Command("commit", "Record one commit (used by the git post-commit hook)") { rev, repo, host, purpose, notes };
        commit.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            using var reader = GitHistoryReader.Open(r.GetValue(repo)!);
            var c = reader.Resolve(r.GetValue(rev)!);
            var hostName = r.GetValue(host) ?? ctx.DefaultHost;
            var newEvent = CommitRecorder.Event(reader, c, hostName, ctx.Actor, r.GetValue(purpose), r.GetValue(notes));
            var (key, e) = (newEvent.StreamKey, (ConfigEdited)newEvent.Event);
            var connectionString = await ctx.ConnectionStringAsync(ct);

            // The hook path: one connection, no Marten store (see StreamStarter); the store only
            // when the schema needs creating or an annotation is to be added.
            var (outcome, _) = await StreamStarter.TryStartAsync(connectionString, newEvent, ctx.Retry, ct);
            var annotate = r.GetValue(purpose) is not null || r.GetValue(notes) is not null;
            var needsStore = outcome == StreamStarter.Outcome.NeedsStore || (outcome == StreamStarter.Outcome.AlreadyExists && annotate);
            await using var store = needsStore ? await LedgerStore.OpenAsync(connectionString, ctx.Retry, ct) : null;
            var recorded = outcome switch
            {
                StreamStarter.Outcome.Started => 1,
                StreamStarter.Outcome.AlreadyExists => 0,
                _ => await store!.StartStreamsAsync([newEvent], ct: ct),
            };
            if (recorded == 1)
            {
                ctx.Log.Information("Recorded commit {Sha} of {Repo}", c.Sha, reader.RepoKey);
                await ctx.Out.WriteLineAsync($"Recorded {EventCatalogue.ShortSha(c.Sha)} {e.Purpose}");
                if (e.Incomplete is { } missing)
                {
                    await ctx.Err.WriteLineAsync($"warning: {EventCatalogue.ShortSha(c.Sha)} was recorded without part of its content: {missing}");
                }

                return ExitCodes.Success;
            }

            if (annotate)
            {
                // Already recorded (by an import or the hook): keep what was said now as an annotation.
                var seq = await store!.FirstSeqOfStreamAsync(key, ct);
                await store.AppendAsync(new NewEvent(key, new ChangeAnnotated(hostName, ctx.Actor, seq, c.Sha, r.GetValue(purpose), r.GetValue(notes), null)), ct);
                await ctx.Out.WriteLineAsync($"{EventCatalogue.ShortSha(c.Sha)} was already recorded as #{seq}; added the purpose/notes as an annotation.");
                return ExitCodes.Success;
            }

            await ctx.Out.WriteLineAsync($"{EventCatalogue.ShortSha(c.Sha)} is already recorded; nothing added.");
            return ExitCodes.Success;
        });
        return new Command("record", "Record a fact") { commit };
    }
}
