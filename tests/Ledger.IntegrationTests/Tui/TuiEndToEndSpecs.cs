using System.Diagnostics;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Tui;

/// <summary>
/// The real <c>ledger</c> binary in tmux at 80x24 against a real database: filter to a commit by
/// text, open its details, restore to it after typing the host name, and see the restore's events.
/// </summary>
[Collection("tui")]
public sealed class TuiEndToEndSpecs : IClassFixture<DatabaseFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly DatabaseFixture _db;

    public TuiEndToEndSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    [Fact]
    public async Task In_tmux_at_80x24_an_admin_filters_opens_details_restores_and_sees_the_restore_events()
    {
        // Arrange
        using var h = await TuiHistory.CreateAsync(_db, "tmuxbox");

        // Act and assert
        await FilterDetailsRestoreAsync(h, "1 event");
    }

    [Fact]
    public async Task In_tmux_at_200x50_the_same_walk_shows_whole_kinds_and_titles()
    {
        // Arrange
        using var h = await TuiHistory.CreateAsync(_db, "widebox");

        // Act and assert
        await FilterDetailsRestoreAsync(h, "1 event", width: 200, height: 50);
    }

    [Fact]
    public async Task On_a_history_of_thousands_of_commits_the_same_walk_finds_the_commit_and_restores_to_it()
    {
        // Arrange: 2,000 generated NixOS commits, then the three of the small history.
        using var h = await TuiHistory.CreateAsync(_db, "bigbox", generated: 2000);
        (await _db.ScalarAsync("select count(*) from ledger.mt_events where type = 'config_edited' and data->>'host' = 'bigbox'")).ShouldBe(2003L);

        // Act and assert
        await FilterDetailsRestoreAsync(h, "1 event");
    }

    private async Task FilterDetailsRestoreAsync(TuiHistory h, string matches, int width = 80, int height = 24)
    {
        var session = $"ledger-tui-{Environment.ProcessId}-{h.Host}";
        var args = new List<string> { "new-session", "-d", "-s", session, "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture), "-y", height.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (k, v) in new Dictionary<string, string?>(h.Env) { ["LEDGER_DB"] = _db.ConnectionString, ["LEDGER_HOME"] = h.Home.Path, ["HOME"] = h.Home.Path })
        {
            args.AddRange(["-e", $"{k}={v}"]);
        }

        args.AddRange(["dotnet", Path.Combine(AppContext.BaseDirectory, "ledger.dll"), "tui", "--host", h.Host]);
        Tmux([.. args]);
        try
        {
            // Act and assert, as the admin would: the timeline comes up
            var opened = (await WaitForAsync(session, "events |")).Split('\n');

            // at 80 columns: the zone named once, and 40 columns or more of
            // title (one host: no HOST column; the actor is in the details)
            opened[0].ShouldContain("times in ");
            opened[1].IndexOf("TITLE", StringComparison.Ordinal).ShouldBeLessThanOrEqualTo(40, opened[1]);
            opened[1].ShouldNotContain("HOST");
            opened.ShouldAllBe(l => l.Length <= width);

            // every row says its year: YYYY-MM-DD HH:MM after the sequence number (the rows
            // are drawn just after the count, so wait for them)
            var row = new System.Text.RegularExpressions.Regex(@"^\s*\d+ \d");
            opened = (await WaitForAsync(session, screen => screen.Split('\n').Any(l => row.IsMatch(l)))).Split('\n');
            var rows = opened.Where(l => row.IsMatch(l)).ToList();
            rows.ShouldAllBe(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*\d+ \d{4}-\d{2}-\d{2} \d{2}:\d{2} "));
            rows.ShouldNotContain(l => l.Contains('~'), "kinds fit their column");

            // filter to the commit by a word of its message
            Tmux("send-keys", "-t", session, "/");
            Tmux("send-keys", "-t", session, "-l", "transcoding");
            Tmux("send-keys", "-t", session, "Enter");
            var screen = await WaitForAsync(session, $"filter: transcoding | {matches}", "Enable the NVIDIA driver");

            // its details: files, then the diff at the bottom
            Tmux("send-keys", "-t", session, "Enter");
            await WaitForAsync(session, "Details of #", "gpu.nix", "purpose: Enable the NVIDIA driver for transcoding");
            Tmux("send-keys", "-t", session, "G");
            await WaitForAsync(session, "+  hardware.nvidia.modesetting.enable = true; }");

            // R, the plan, the host name, Enter
            Tmux("send-keys", "-t", session, "R");
            await WaitForAsync(session, $"Type '{h.Host}' to restore", $"Restore plan for host {h.Host}");
            // a wrong name: Enter shows the error at once and keeps the text; Ctrl-U clears
            // it and the error goes; the right name restores, and the result shows once
            Tmux("send-keys", "-t", session, "-l", "nothost");
            Tmux("send-keys", "-t", session, "Enter");
            await WaitForAsync(session, "'nothost' is not the host name", $"Type '{h.Host}' to restore: nothost_");
            Tmux("send-keys", "-t", session, "C-u");
            await WaitForAsync(session, s => s.Contains($"Type '{h.Host}' to restore: _", StringComparison.Ordinal) && !s.Contains("is not the host name", StringComparison.Ordinal), "the cleared name without the error");
            Tmux("send-keys", "-t", session, "-l", h.Host);
            Tmux("send-keys", "-t", session, "Enter");
            screen = await WaitForAsync(session, "Esc returns to the timeline", "as commit");
            screen.Split('\n').Count(l => l.Contains("Restored ", StringComparison.Ordinal) && l.Contains("as commit", StringComparison.Ordinal)).ShouldBe(1, screen);
            screen.ShouldNotContain("Enter restore");

            // back on the timeline, the restore's events are there
            Tmux("send-keys", "-t", session, "Escape");
            await WaitForAsync(session, "restore completed at", "restore step switch");
        }
        finally
        {
            TryTmux("kill-session", "-t", session);
        }
    }

    /// <summary>
    /// The screen once it shows every one of <paramref name="texts"/>: a snapshot can catch the
    /// screen mid-redraw (on a loaded machine CI did, twice: "Details of #" without the file list,
    /// the error line without the kept text), and an assertion on a part not painted yet would
    /// fail where a moment later it holds. A screen that never comes fails with the whole screen.
    /// </summary>
    private static Task<string> WaitForAsync(string session, params string[] texts) =>
        WaitForAsync(session, screen => texts.All(t => screen.Contains(t, StringComparison.Ordinal)), string.Join(" and ", texts.Select(t => $"'{t}'")));

    private static async Task<string> WaitForAsync(string session, Func<string, bool> shows, string what = "the expected screen")
    {
        var clock = Stopwatch.StartNew();
        string screen;
        do
        {
            screen = Tmux("capture-pane", "-p", "-t", session);
            if (shows(screen))
            {
                return screen;
            }

            await Task.Delay(100);
        }
        while (clock.Elapsed < Patience);

        throw new ShouldAssertException($"{what} did not appear within {Patience.TotalSeconds} s. The screen:\n{screen}");
    }

    private static string Tmux(params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        if (code != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', args.Take(2))} failed ({code}): {stderr} (CI installs tmux in .ci/run)");
        }

        return stdout;
    }

    private static void TryTmux(params string[] args) => Run(args);

    private static (int Code, string Out, string Err) Run(string[] args)
    {
        var psi = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }
}
