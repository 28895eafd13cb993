using System.Diagnostics;
using Ledger.Core.Errors;
using Ledger.Core.Timeline;
using Ledger.Store;
using static Ledger.Bench.Workloads.Measure;

namespace Ledger.Bench.Workloads;

internal sealed partial class BenchRunner
{
    private async Task TuiAsync(LedgerStore store, string cs, CancellationToken ct)
    {
        var tmux = ChildProcess.Find("tmux");
        if (tmux is null)
        {
            Row($"TUI cold open to first painted page at {_o.Events:N0} events (tmux 80x24)", "skipped", "tmux not on PATH", null, "<= 1 s, peak RSS <= 200 MB", null);
            return;
        }

        using var home = new TempDirectory();
        var session = $"ledger-bench-{Environment.ProcessId}";

        // The newest event's sequence number on the host, as the timeline's first row shows it.
        var newest = (await store.TimelineAsync(new TimelineQuery { Host = "bench-01", Limit = 1 }, ct))[0].Seq.ToString(Inv);
        var (exe, first) = _ctx.Ledger.Command;
        var args = new List<string> { "new-session", "-d", "-s", session, "-x", "80", "-y", "24", "-e", $"LEDGER_DB={cs}", "-e", $"LEDGER_HOME={home.Path}", "--", exe };
        args.AddRange(first);
        args.AddRange(["tui", "--host", "bench-01"]);
        var sw = Stopwatch.StartNew();
        await ChildProcess.RunAsync(tmux, args, ct);
        try
        {
            string screen = "";
            var painted = TimeSpan.Zero;
            while (sw.Elapsed < TimeSpan.FromSeconds(30))
            {
                screen = await ChildProcess.RunAsync(tmux, ["capture-pane", "-p", "-t", session], ct);
                if (screen.Contains(newest, StringComparison.Ordinal))
                {
                    painted = sw.Elapsed;
                    break;
                }

                await Task.Delay(5, ct);
            }

            var pid = int.Parse((await ChildProcess.RunAsync(tmux, ["display-message", "-p", "-t", session, "#{pane_pid}"], ct)).Trim(), Inv);
            await Task.Delay(500, ct); // let it settle after painting, then read its peak
            var peakKb = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) is { } line
                ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Inv)
                : 0;
            if (painted == TimeSpan.Zero)
            {
                Row($"TUI cold open at {_o.Events:N0} events (tmux 80x24)", "no first page within 30 s", screen.Split('\n').FirstOrDefault() ?? "", null, "<= 1 s, peak RSS <= 200 MB", _ => false);
                return;
            }

            Row($"TUI cold open to first painted page at {_o.Events:N0} events (tmux 80x24)", $"{Sec(painted.TotalSeconds)}, peak RSS {peakKb / 1024} MB", "—", null, "<= 1 s, peak RSS <= 200 MB", _ => painted.TotalSeconds <= 1 && peakKb <= 200 * 1024);
        }
        finally
        {
            try
            {
                await ChildProcess.RunAsync(tmux, ["kill-session", "-t", session], CancellationToken.None);
            }
            catch (LedgerException)
            {
            }
        }
    }
}
