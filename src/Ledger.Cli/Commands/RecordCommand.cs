using System.CommandLine;
using Ledger.App.Generations;
using Ledger.App.Recording;
using Ledger.Core.Errors;
using Ledger.Store.Spool;

namespace Ledger.Cli.Commands;

internal static class RecordCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var rev = new Argument<string>("rev") { Description = "The commit to record (default HEAD)", DefaultValueFactory = _ => "HEAD" };
        var scope = RepoTarget.Create();
        var purpose = new Option<string?>("--purpose") { Description = "Why the change was made (default: the first line of the commit message)" };
        var notes = new Option<string?>("--notes") { Description = "Links, references, anything worth keeping with the change" };
        var commit = new Command("commit", "Record one commit (used by the git post-commit hook)") { rev, scope.Repo, scope.Host, purpose, notes };
        commit.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var hostName = scope.HostOf(r, ctx);
            var recording = await CommitRecorder.RecordHookAsync(
                ctx.ConnectionStringAsync, ctx.Retry, new EventSpool(ctx.Home), r.GetValue(scope.Repo)!, r.GetValue(rev)!, hostName, ctx.Actor, r.GetValue(purpose), r.GetValue(notes), ctx.Log, ct);
            await CommitRecorder.ReportAsync(recording, ctx.Out, ctx.Err, ctx.Log);
            return ExitCodes.Success;
        });
        return new Command("record", "Record a fact") { commit, Generation(context) };
    }

    /// <summary><c>ledger record generation</c>: the switch the daemon would see, recorded now (from an activation script, after a switch by hand).</summary>
    private static Command Generation(Func<ParseResult, CliContext> context)
    {
        var host = new Option<string?>("--host") { Description = "The host to record for (default: $LEDGER_HOST, else this machine's name)" };
        var command = new Command("generation", "Record the system generation now active, with the package changes since the last one Ledger recorded (nothing when it is the same)") { host };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            await using var store = await ctx.OpenStoreAsync(ct);
            var look = await new GenerationWatch(store, ctx.Programs, r.GetValue(host) ?? ctx.DefaultHost, ctx.Actor).LookAsync(ctx.Out, ct);
            await ctx.Out.WriteLineAsync(look.Message);
            return ExitCodes.Success;
        });
        return command;
    }
}
