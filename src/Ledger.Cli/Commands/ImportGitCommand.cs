using System.CommandLine;
using Ledger.App.Recording;
using Ledger.App.Spool;
using Ledger.Capture.Git;
using Ledger.Core.Errors;
using Ledger.Core.Text;
using Ledger.Store;
using Ledger.Store.Spool;
using Spectre.Console;

namespace Ledger.Cli.Commands;

internal static class ImportGitCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var scope = RepoTarget.Create();
        var rederive = new Option<bool>("--rederive") { Description = "Also derive the Nix facts (flake inputs, hosts touched) again for commits recorded earlier, appending change_derived events where this version finds more than their events say" };
        var command = new Command("import-git", "Record every commit reachable from HEAD as a config-edit event (re-running adds nothing)") { scope.Repo, scope.Host, rederive };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            using var reader = GitHistoryReader.Open(r.GetValue(scope.Repo)!);
            await using var store = await ctx.OpenStoreAsync(ct);
            var hostName = scope.HostOf(r, ctx);
            await DeliverSpoolFirstAsync(ctx, store, ct);
            ctx.Log.Information("Importing {Repo} as host {Host}", reader.RepoKey, hostName);

            ImportResult result;
            if (ctx.IsTerminal)
            {
                result = await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async p =>
                    {
                        var task = p.AddTask("importing commits");
                        var progress = new Progress<(int Done, int Total)>(x =>
                        {
                            task.MaxValue = Math.Max(1, x.Total);
                            task.Value = x.Done;
                        });
                        var outcome = await GitImport.RunAsync(store, reader, hostName, ctx.Actor, progress, ct);
                        task.Value = task.MaxValue;
                        return outcome;
                    });
            }
            else
            {
                result = await GitImport.RunAsync(store, reader, hostName, ctx.Actor, null, ct);
            }

            await GitImport.SummaryAsync(result, ctx.Out, ctx.Log);
            if (r.GetValue(rederive))
            {
                var again = await NixRederivation.RunAsync(store, reader, hostName, ctx.Actor, ct);
                await ctx.Out.WriteLineAsync(
                    $"Derived the Nix facts again for {again.Looked} recorded commits: {again.Derived} got new facts (change_derived events)" +
                    (again.Missing > 0 ? $"; {again.Missing} are no longer in the repository and keep what they have." : "."));
            }

            await GitImport.WarningsAsync(result, ctx.Err, ctx.Log);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Events the spool kept while the database could not be reached (commits among them) go in
    /// before the import's, so that sequence numbers keep the order things happened in; the import
    /// then finds those commits recorded. A delivery that cannot finish is said, and the import goes on.
    /// </summary>
    private static async Task DeliverSpoolFirstAsync(CliContext ctx, LedgerStore store, CancellationToken ct)
    {
        var spool = new EventSpool(ctx.Home);
        if (!spool.HasPending)
        {
            return;
        }

        var report = await SpoolDelivery.DeliverAsync(spool, store, SpoolDelivery.SyncLockWait, ctx.Log, ct);
        if (report.Delivered + report.AlreadyStored > 0)
        {
            await ctx.Out.WriteLineAsync($"Delivered {Plural.Of(report.Delivered, "spooled event")} first" + (report.AlreadyStored > 0 ? $" ({report.AlreadyStored} more were stored already)." : "."));
        }

        foreach (var rejected in report.Rejected)
        {
            await ctx.Err.WriteLineAsync($"ledger: a spool file cannot be read back and was moved to {rejected.File}: {rejected.Reason}");
        }

        if (report.Problem(spool.Folder, store.Description) is { } problem)
        {
            await ctx.Err.WriteLineAsync($"ledger: {problem} The import goes on; 'ledger sync' delivers what is left.");
        }
    }
}
