using System.CommandLine;
using Ledger.App.Analysis;
using Ledger.Core.Errors;
using Ledger.Core.Text;
using Ledger.Core.Timeline;

namespace Ledger.Cli.Commands;

internal static class WhyCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var seq = new Argument<long?>("seq") { Description = "The event to explain: an alert, a failed validation or deploy, a service restart, a failed restore", Arity = ArgumentArity.ZeroOrOne };
        var at = new Option<string?>("--at") { Description = "Explain an incident that left no event: its time (ISO 8601, or YYYY-MM-DD HH:MM local)" };
        var about = new Option<string?>("--about") { Description = "Words the incident is about (e.g. 'jellyfin stalled'), matched against changed paths, lines and messages" };
        var window = new Option<string>("--window") { Description = "How far back to look, e.g. 72h, 3d, 90m", DefaultValueFactory = _ => "72h" };
        var limit = new Option<int>("--limit", "-n") { Description = "Suspects to list at most", DefaultValueFactory = _ => IncidentAnalysis.DefaultLimit };
        var view = HostView.Create();
        view.Host.Description = "With --at: the host the incident was on (default: $LEDGER_HOST, else this machine's name)";
        var json = CommonOptions.Json();
        var command = new Command("why", "Name the changes that likely caused an incident, best first, each with its reasons") { seq, at, about, window, limit, view.Host, view.Zone, json };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var (host, zone) = view.Resolve(r, ctx);
            var span = DurationText.Parse(r.GetValue(window)!, "--window");
            var max = r.GetValue(limit);
            if (max < 1)
            {
                throw new LedgerException("--limit must be at least 1.");
            }

            var given = r.GetValue(seq);
            var time = r.GetValue(at);
            if (given is null == time is null)
            {
                throw new LedgerException("Say what to explain: an event (ledger why SEQ) or a time (ledger why --at TIME [--host H] [--about WORDS]), not both.");
            }

            if (given is not null && r.GetResult(view.Host) is { Implicit: false })
            {
                throw new LedgerException("--host goes with --at: an event already names its host.");
            }

            await using var store = await ctx.OpenStoreAsync(ct);
            var report = given is { } s
                ? await IncidentAnalysis.ForEventAsync(store, s, r.GetValue(about), span, max, ct)
                : await IncidentAnalysis.ForTimeAsync(store, DateArgument.Parse(time!, "--at", zone), host, r.GetValue(about), span, max, ct);
            if (r.GetValue(json))
            {
                await ctx.Out.WriteLineAsync(WhyOutput.Json(report));
                return ExitCodes.Success;
            }

            foreach (var line in WhyOutput.Lines(report, zone))
            {
                await ctx.Out.WriteLineAsync(line);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
