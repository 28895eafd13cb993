using System.CommandLine;
using Ledger.App.Spool;
using Ledger.Cli.Output;
using Ledger.Store;
using Ledger.Store.Spool;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger sync</c>: delivers the events the spool kept while the database could not be reached (docs/operations.md, "The spool").</summary>
internal static class SyncCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var json = CommonOptions.Json();
        var command = new Command(
            "sync",
            "Deliver the events kept in the spool ($LEDGER_HOME/spool) while the database could not be reached, oldest first, each once " +
            "(exit 0: the spool is empty; 1: an event was refused or a file set aside; 2: the database cannot be reached)")
        {
            json,
        };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var spool = new EventSpool(ctx.Home);
            DeliveryReport report;
            var database = ctx.ExplicitDb is { } given ? ConnectionStrings.Describe(given) : "the embedded PostgreSQL";
            if (!spool.HasPending)
            {
                report = new DeliveryReport(0, 0, [], 0);
            }
            else
            {
                try
                {
                    await using var store = await ctx.OpenStoreAsync(ct);
                    database = store.Description;
                    report = await SpoolDelivery.DeliverAsync(spool, store, SpoolDelivery.SyncLockWait, ctx.Log, ct);
                }
                catch (StoreException e) when (DatabaseErrors.IsUnreachable(e))
                {
                    report = new DeliveryReport(0, 0, [], spool.Pending().Count, e);
                }
            }

            var problem = report.Problem(spool.Folder, database);
            var rejectedBefore = spool.Status().Rejected - report.Rejected.Count;
            if (r.GetValue(json))
            {
                await ctx.Out.WriteLineAsync(ChainJson.Serialize(new
                {
                    spool = spool.Folder,
                    delivered = report.Delivered,
                    alreadyStored = report.AlreadyStored,
                    rejected = report.Rejected.Select(x => new { file = x.File, reason = x.Reason }),
                    remaining = report.Remaining,
                    problem,
                }));
                return report.ExitCode;
            }

            await ctx.Out.WriteLineAsync(report.Delivered + report.AlreadyStored + report.Remaining + report.Rejected.Count == 0
                ? $"The spool ({spool.Folder}) is empty; nothing to deliver."
                : report.Summary(spool.Folder));
            foreach (var rejected in report.Rejected)
            {
                await ctx.Err.WriteLineAsync($"ledger: a spool file cannot be read back and was moved to {rejected.File}: {rejected.Reason}");
            }

            if (rejectedBefore > 0)
            {
                await ctx.Err.WriteLineAsync($"ledger: {rejectedBefore} earlier file(s) wait in {spool.RejectedFolder} (each with a .why file); move one back to {spool.Folder} to try it again.");
            }

            if (problem is not null)
            {
                await ctx.Err.WriteLineAsync("ledger: " + problem);
            }

            return report.ExitCode;
        });
        return command;
    }
}
