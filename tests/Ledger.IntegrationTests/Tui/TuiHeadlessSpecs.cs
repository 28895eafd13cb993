using Ledger.Cli.Tui.ViewModels;
using Ledger.Cli.Tui.Views;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Checks;
using Ledger.IntegrationTests.Support;
using Ledger.Store;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Terminal.Gui.Time;

namespace Ledger.IntegrationTests.Tui;

/// <summary>The real window under the ANSI driver with a virtual clock, driven by injected keys.</summary>
[Collection("tui")]
public sealed class TuiHeadlessSpecs : IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _db;

    public TuiHeadlessSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    [Fact]
    public async Task Slash_filters_Enter_opens_details_Esc_goes_back_and_q_quits_only_from_the_timeline()
    {
        // Arrange
        using var h = await TuiHistory.CreateAsync(_db, "headless");
        using IApplication app = Application.Create(new VirtualTimeProvider());
        app.Init(DriverRegistry.Names.ANSI);
        using var window = new LedgerWindow(app, h.Services(_db.Store));
        var token = app.Begin(window);
        try
        {
            Settle(app, window);
            window.Timeline.Rows.Count.ShouldBeGreaterThan(3);

            // Act: filter by text
            app.InjectKey(new Key('/'));
            window.PromptKind.ShouldBe('/');
            foreach (var c in "transcoding")
            {
                app.InjectKey(new Key(c));
            }

            app.InjectKey(Key.Enter);
            Settle(app, window);

            // Assert
            window.PromptKind.ShouldBeNull();
            window.Timeline.Rows.ShouldHaveSingleItem().Seq.ShouldBe(h.GpuSeq);

            // Act: Enter opens the details, with files and diff
            app.InjectKey(Key.Enter);
            Settle(app, window);
            window.Screen.ShouldBe(Screen.Details);
            window.VisibleLines.ShouldContain(l => l.Text.Contains("gpu.nix", StringComparison.Ordinal));
            window.VisibleLines.ShouldContain(l => l.Tone == Tone.Added);

            // q goes back from details rather than quitting; Esc clears the filter on the timeline
            app.InjectKey(new Key('q'));
            Settle(app, window);
            window.Screen.ShouldBe(Screen.Timeline);
            app.InjectKey(new Key('?'));
            window.Screen.ShouldBe(Screen.Help);
            window.VisibleLines.ShouldContain(l => l.Text.Contains("restore the configuration", StringComparison.Ordinal));
            app.InjectKey(Key.Esc);
            window.Screen.ShouldBe(Screen.Timeline);
            app.InjectKey(Key.Esc);
            Settle(app, window);
            window.Timeline.Filter.ShouldBeNull();
        }
        finally
        {
            app.End(token!);
        }
    }

    [Fact]
    public async Task The_filter_text_is_highlighted_where_a_row_shows_it_issue_15()
    {
        // Arrange
        using var h = await TuiHistory.CreateAsync(_db, "headless-hl");
        Drive(h, (app, window) =>
        {
            // Act
            app.InjectKey(new Key('/'));
            foreach (var c in "kind:config-edit nvidia DRIVER")
            {
                app.InjectKey(new Key(c));
            }

            app.InjectKey(Key.Enter);
            Settle(app, window);

            // Assert: the words are drawn in the match colour, the rest of their row is not
            var row = window.Timeline.Rows.ShouldHaveSingleItem();
            var mark = window.Timeline.Matches(row).ShouldHaveSingleItem();
            window.Timeline.RowText(row).Substring(mark.Start, mark.Length).ShouldBe("NVIDIA driver");
            var screen = ScreenText(app);
            var y = screen.FindIndex(l => l.Contains("NVIDIA driver", StringComparison.Ordinal));
            y.ShouldBeGreaterThan(0);
            var x = screen[y].IndexOf("NVIDIA driver", StringComparison.Ordinal);
            x.ShouldBe(mark.Start);
            var cells = app.Driver!.Contents!;
            Enumerable.Range(x, mark.Length).Select(col => cells[y, col].Attribute).ShouldAllBe(a => a == Palette.Match);
            cells[y, x - 2].Attribute.ShouldNotBe(Palette.Match);
            cells[y, x + mark.Length].Attribute.ShouldNotBe(Palette.Match);
        });
    }

    [Fact]
    public async Task w_lists_the_suspects_of_an_alert_as_ledger_why_does_Enter_opens_one_and_R_restores_to_the_event_before_it()
    {
        // Arrange: an alert half an hour after the last commit, which switched jellyfin off.
        using var h = await TuiHistory.CreateAsync(_db, "headless-why");
        var firedAt = h.Repo.LastCommitTime.AddMinutes(30);
        var alert = await _db.Store.AppendAsync(new Ledger.Store.NewEvent(
            StreamKeys.Alert(h.Host, "why0000000000001"),
            new AlertFired(h.Host, "ledger-serve", "JellyfinDown", "why0000000000001", firedAt, "critical", new Dictionary<string, string> { ["job"] = "jellyfin" }, new Dictionary<string, string>(), null),
            firedAt));
        var cli = await new CliRun(_db.ConnectionString, h.Home.Path, h.Host).RunAsync("why", alert.ToString(), "--json");
        cli.ExitCode.ShouldBe(0, cli.Err);
        using var json = System.Text.Json.JsonDocument.Parse(cli.Out);
        var expected = json.RootElement.GetProperty("suspects").EnumerateArray().Select(x => x.GetProperty("seq").GetInt64()).ToList();
        Drive(h, (app, window) =>
        {
            // Act
            window.Timeline.Select(window.Timeline.Rows.ToList().FindIndex(r => r.Seq == alert));
            app.InjectKey(new Key('w'));
            Settle(app, window);

            // Assert: the same suspects in the same order, the top one selected, with its reasons
            window.Screen.ShouldBe(Screen.Why);
            window.Why!.Report.Suspects.Select(x => x.Seq).ShouldBe(expected);
            var top = window.Why.Current.ShouldNotBeNull();
            top.Title.ShouldContain("Stop jellyfin");
            window.VisibleLines.ShouldContain(l => l.Text.Contains("mentions jellyfin in media.nix (matches job=jellyfin)", StringComparison.Ordinal));
            ScreenText(app)[1].ShouldContain($"Why #{alert}: JellyfinDown firing (critical)");

            // Enter opens the suspect; Esc comes back to the list
            app.InjectKey(Key.Enter);
            Settle(app, window);
            window.Screen.ShouldBe(Screen.Details);
            window.Details!.Entry.Seq.ShouldBe(top.Seq);
            app.InjectKey(Key.Esc);
            window.Screen.ShouldBe(Screen.Why);

            // R offers the restore to the event just before the suspect (the NVIDIA commit)
            app.InjectKey(new Key('R'));
            Settle(app, window);
            window.Screen.ShouldBe(Screen.Restore);
            window.Restore!.TargetSeq.ShouldBe(h.GpuSeq);
            app.InjectKey(Key.Esc);
            Settle(app, window);
            window.Screen.ShouldBe(Screen.Why);
            app.InjectKey(new Key('q'));
            window.Screen.ShouldBe(Screen.Timeline);
            window.Why.ShouldBeNull();
        });
    }

    [Fact]
    public async Task m_shows_the_monthly_report_of_the_selected_events_month_as_ledger_report_monthly_renders_it()
    {
        // Arrange
        using var h = await TuiHistory.CreateAsync(_db, "headless-m");
        var month = DateTimeOffset.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var cli = await new CliRun(_db.ConnectionString, h.Home.Path, h.Host).RunAsync("report", "monthly", "--month", month, "--host", h.Host, "--time-zone", "UTC");
        cli.ExitCode.ShouldBe(0, cli.Err);
        Drive(h, (app, window) =>
        {
            // Act
            app.InjectKey(new Key('m'));
            Settle(app, window);

            // Assert: the same Markdown as the command, line for line, and the screen shows its top
            window.Screen.ShouldBe(Screen.Details);
            window.Details!.Title.ShouldBe($"Monthly report of {h.Host} for {month} (ledger report monthly)");
            window.VisibleLines.Select(l => l.Text).ShouldBe(TerminalText.Lines(cli.Out.TrimEnd()));
            var screen = ScreenText(app);
            screen[1].ShouldContain($"Monthly report of {h.Host} for {month}");
            screen[2].ShouldBe(TerminalText.Lines(cli.Out)[0].PadRight(80)[..80].TrimEnd());

            // j scrolls it; Esc goes back to the timeline
            app.InjectKey(new Key('j'));
            app.LayoutAndDraw(true);
            ScreenText(app)[2].ShouldBe(TerminalText.Lines(cli.Out)[1].PadRight(80)[..80].TrimEnd());
            app.InjectKey(Key.Esc);
            window.Screen.ShouldBe(Screen.Timeline);
        });
    }

    [Fact]
    public async Task v_runs_the_checklist_in_the_background_with_live_lines_and_the_validations_then_show_in_the_timeline()
    {
        // Arrange: a quick check, a slow one (nixos-rebuild that takes 2 s) and a failing one
        using var h = await TuiHistory.CreateAsync(_db, "headless-v");
        FakeProgram.Write(Path.GetDirectoryName(h.Rebuild)!, "nixos-rebuild", "#!/bin/sh\nsleep 2\necho 'activating the configuration...'\nexit 0\n");
        File.WriteAllText(Path.Combine(h.Home.Path, "checks.json"), $$"""
            { "checks": [
              { "name": "disk-root", "kind": "disk", "mount": "/", "maxUsedPercent": 100 },
              { "name": "rebuild-test", "kind": "nixos-rebuild", "mode": "test", "repo": "{{h.Repo.Path}}" },
              { "name": "disk-strict", "kind": "disk", "mount": "/", "maxUsedPercent": 0 }
            ] }
            """);
        Drive(h, (app, window) =>
        {
            // Act
            app.InjectKey(new Key('v'));
            // Until the line is on the screen, not only in the model: the view takes it on its next timer
            // (under load, the model could have it while the screen did not yet: a flaky failure in a full run).
            var deadline = DateTime.UtcNow.AddSeconds(20);
            do
            {
                Thread.Sleep(20);
                app.TimedEvents?.RunTimers();
                app.LayoutAndDraw(true);
            }
            while (!ScreenText(app).Any(l => l.StartsWith("PASS   disk-root", StringComparison.Ordinal)) && DateTime.UtcNow < deadline);

            // Assert: the first check's line is on the screen while the slow one still runs, and keys still work
            window.Validation!.Running.ShouldBeTrue();
            window.Screen.ShouldBe(Screen.Validation);
            ScreenText(app).ShouldContain(l => l.StartsWith("PASS   disk-root", StringComparison.Ordinal));
            ScreenText(app).ShouldNotContain(l => l.Contains("disk-strict", StringComparison.Ordinal));
            app.InjectKey(Key.Esc);
            window.Screen.ShouldBe(Screen.Timeline);
            app.InjectKey(new Key('v'));
            window.Screen.ShouldBe(Screen.Validation);

            Settle(app, window);

            // Assert: every check reported, in order, and recorded as ledger validate records them
            window.Validation.State.ShouldBe(ValidationState.Failed);
            var screen = ScreenText(app);
            screen.ShouldContain(l => l.StartsWith("PASS   rebuild-test", StringComparison.Ordinal));
            screen.ShouldContain(l => l.StartsWith("FAIL   disk-strict", StringComparison.Ordinal));
            screen.ShouldContain(l => l.StartsWith("2 of 3 checks passed for config commit", StringComparison.Ordinal));
            var runs = Read(() => _db.Store.TimelineAsync(new TimelineQuery { Host = h.Host, Kinds = ["validation"], Limit = null }))
                .Select(r => r.Data).OfType<ValidationRun>().Where(v => v.Check != "gpu").ToList();
            runs.Select(v => (v.Check, v.Status)).ShouldBe([("disk-strict", ValidationStatus.Fail), ("rebuild-test", ValidationStatus.Pass), ("disk-root", ValidationStatus.Pass)]);
            var head = h.Repo.Git("rev-parse", "HEAD").Trim();
            runs.ShouldAllBe(v => v.ConfigCommit == head && v.Actor == "admin");

            // The timeline was read again: the new validations are its newest rows
            app.InjectKey(Key.Esc);
            app.LayoutAndDraw(true);
            window.Timeline.Rows[0].Title.ShouldContain("disk-strict");
            ScreenText(app)[2].ShouldContain("disk-strict");
        });
    }

    [Fact]
    public async Task v_without_a_checklist_says_which_file_or_option_is_needed()
    {
        using var h = await TuiHistory.CreateAsync(_db, "headless-v-none");
        Drive(h, (app, window) =>
        {
            // Act
            app.InjectKey(new Key('v'));
            Settle(app, window);

            // Assert
            window.Validation!.State.ShouldBe(ValidationState.CouldNotRun);
            var screen = string.Join("\n", ScreenText(app));
            screen.ShouldContain($"There is no checklist at {Path.Combine(h.Home.Path, "checks.json")}");
            screen.ShouldContain("ledger validate --example-config >");
            screen.ShouldContain("ledger tui --config FILE");
            Read(() => _db.Store.TimelineAsync(new TimelineQuery { Host = h.Host, Kinds = ["validation"], Limit = null })).Count.ShouldBe(1); // only the history's own
        });
    }

    [Fact]
    public async Task a_annotates_the_selected_change_in_a_dialog_and_stores_the_same_event_as_ledger_annotate()
    {
        // Arrange
        using var h = await TuiHistory.CreateAsync(_db, "headless-a");
        Drive(h, (app, window) =>
        {
            // a on a validation (the newest row) is refused with a message
            window.Timeline.Current!.Kind.ShouldBe("validation");
            app.InjectKey(new Key('a'));
            window.Annotating.ShouldBeNull();
            window.Message!.ShouldContain("only config changes are annotated");

            // Act: select the NVIDIA commit, open the dialog, type purpose, Tab, notes, Enter
            window.Timeline.Select(window.Timeline.Rows.ToList().FindIndex(r => r.Seq == h.GpuSeq));
            app.InjectKey(new Key('a'));
            window.Annotating.ShouldNotBeNull();
            app.LayoutAndDraw(true);
            ScreenText(app).ShouldContain(l => l.Contains($"Annotate #{h.GpuSeq}", StringComparison.Ordinal));
            ScreenText(app).ShouldContain(l => l.Contains("Purpose:", StringComparison.Ordinal));
            ScreenText(app).ShouldContain(l => l.Contains("Notes:", StringComparison.Ordinal));
            foreach (var c in "Hardware transcoding for 4K")
            {
                app.InjectKey(new Key(c));
            }

            app.InjectKey(Key.Tab);
            foreach (var c in "see jellyfin#42")
            {
                app.InjectKey(new Key(c));
            }

            window.Annotating!.Purpose.Text.ShouldBe("Hardware transcoding for 4K");
            window.Annotating.Notes.Text.ShouldBe("see jellyfin#42");
            app.InjectKey(Key.Enter);
            Settle(app, window);

            // Assert: the dialog is gone and the annotation is stored on the change's stream, as ledger annotate stores it
            window.Annotating.ShouldBeNull();
            window.Message!.ShouldContain($"Annotated #{h.GpuSeq}");
            var annotations = Read(() => _db.Store.TimelineAsync(new TimelineQuery { Host = h.Host, Kinds = ["annotation"], Limit = null })).ToList();
            var stored = annotations.ShouldHaveSingleItem();
            var data = stored.Data.ShouldBeOfType<ChangeAnnotated>();
            (data.TargetSeq, data.Sha, data.Purpose, data.Notes, data.Validation, data.Actor).ShouldBe((h.GpuSeq, h.GpuSha, "Hardware transcoding for 4K", "see jellyfin#42", (string?)null, "admin"));
            stored.StreamKey.ShouldBe(Read(() => _db.Store.GetAsync(h.GpuSeq))!.StreamKey);

            // The details now show the new purpose
            window.Timeline.Select(window.Timeline.Rows.ToList().FindIndex(r => r.Seq == h.GpuSeq));
            app.InjectKey(Key.Enter);
            Settle(app, window);
            window.VisibleLines.Select(l => l.Text).ShouldContain("purpose: Hardware transcoding for 4K");

            // Esc in the dialog cancels and stores nothing
            app.InjectKey(new Key('a'));
            window.Annotating.ShouldNotBeNull();
            app.InjectKey(new Key('x'));
            app.InjectKey(Key.Esc);
            window.Annotating.ShouldBeNull();
            window.Screen.ShouldBe(Screen.Details);
            Settle(app, window);
            Read(() => _db.Store.TimelineAsync(new TimelineQuery { Host = h.Host, Kinds = ["annotation"], Limit = null })).Count.ShouldBe(1);
        });
    }

    [Fact]
    public async Task F_lists_one_line_per_host_with_alerts_last_deploy_and_last_change_and_Enter_shows_that_hosts_timeline_issue_22()
    {
        // Arrange: besides the history's host, one whose last deploy failed and one with an open alert.
        using var h = await TuiHistory.CreateAsync(_db, "fleet-tui");
        await _db.Store.AppendAsync(new NewEvent(StreamKeys.Deploy("fleet-red", "d1"), new DeployFinished("fleet-red", "root", "d1", "/etc/nixos", new string('a', 40), "switch", true, DeployOutcome.RolledBack, 12, 1000, 1, null, "validation failed")));
        await _db.Store.AppendAsync(new NewEvent(StreamKeys.Alert("fleet-amber", "fp1"), new AlertFired("fleet-amber", "alertmanager", "DiskFull", "fp1", DateTimeOffset.UtcNow.AddMinutes(-5), "warning", new Dictionary<string, string>(), new Dictionary<string, string>(), null)));
        Drive(h, (app, window) =>
        {
            // Act
            app.InjectKey(new Key('F'));
            Settle(app, window);

            // Assert
            window.Screen.ShouldBe(Screen.Fleet);
            var screen = ScreenText(app);
            screen[1].ShouldStartWith("HOST");
            screen[1].ShouldContain("ALERTS");
            screen[1].ShouldContain("LAST DEPLOY");
            screen[1].ShouldContain("LAST CHANGE");
            var red = window.VisibleLines.Single(l => l.Text.StartsWith("fleet-red ", StringComparison.Ordinal));
            red.Tone.ShouldBe(Tone.Bad);
            red.Text.ShouldContain("rolled back");
            red.Text.ShouldMatch(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2} rolled back");
            var amber = window.VisibleLines.Single(l => l.Text.StartsWith("fleet-amber ", StringComparison.Ordinal));
            amber.Tone.ShouldBe(Tone.Warn);
            amber.Text.ShouldMatch(@"^fleet-amber\s+1 ");
            var own = window.VisibleLines.Single(l => l.Text.StartsWith("fleet-tui ", StringComparison.Ordinal));
            own.Tone.ShouldBe(Tone.Good);
            own.Text.ShouldContain("Stop jellyfin", Case.Sensitive, "the host's newest commit");
            own.Text.ShouldNotContain('\u001b', "a commit message's escape sequence stays inert");
            screen[^1].ShouldContain("Enter its timeline");

            // Act: Enter on the host with the failed deploy
            while (window.Fleet!.Current!.Host != "fleet-red")
            {
                app.InjectKey(new Key('j'));
            }

            app.InjectKey(Key.Enter);
            Settle(app, window);

            // Assert
            window.Screen.ShouldBe(Screen.Timeline);
            window.Timeline.Filter!.Source.ShouldBe("host:fleet-red");
            window.Timeline.Rows.ShouldHaveSingleItem().Host.ShouldBe("fleet-red");
        });
    }

    [Fact]
    public async Task The_screen_still_shows_the_timeline_and_status_bar_after_resizes()
    {
        using var h = await TuiHistory.CreateAsync(_db, "headless-resize");
        Drive(h, (app, window) =>
        {
            foreach (var (cols, rows) in new[] { (80, 24), (120, 40), (80, 24) })
            {
                // Act
                app.Driver!.SetScreenSize(cols, rows);
                app.LayoutAndDraw(true);

                // Assert: header on top, the timeline under its column heads, the prompt and status bar at the bottom
                var screen = ScreenText(app);
                screen.Count.ShouldBe(rows);
                screen[0].ShouldStartWith(" ledger tui | host headless-resize");
                screen[1].ShouldContain("SEQ");
                screen[1].ShouldContain("TITLE");
                screen[2].ShouldContain("gpu: pass - GPU present");
                screen.ShouldContain(l => l.Contains("Enable the NVIDIA driver", StringComparison.Ordinal));
                screen[rows - 2].ShouldContain("events | row 1");
                screen[rows - 1].ShouldStartWith(" ? help  / filter");
                window.Frame.Width.ShouldBe(cols);
                window.Frame.Height.ShouldBe(rows);
            }

        });
    }

    /// <summary>
    /// Opens the window on the history at 80x24, runs <paramref name="act"/>, and ends the session. The
    /// act is synchronous: an await on this thread would wait on Terminal.Gui's synchronisation context,
    /// which only the loop that the test pumps runs (see <see cref="Settle"/>); database reads go through <see cref="Read"/>.
    /// </summary>
    private void Drive(TuiHistory h, Action<IApplication, LedgerWindow> act)
    {
        using IApplication app = Application.Create(new VirtualTimeProvider());
        app.Init(DriverRegistry.Names.ANSI);
        app.Driver!.SetScreenSize(80, 24);
        using var window = new LedgerWindow(app, h.Services(_db.Store));
        var token = app.Begin(window);
        try
        {
            Settle(app, window);
            act(app, window);
        }
        finally
        {
            app.End(token!);
        }
    }

    /// <summary>A database read off the UI thread, waited for.</summary>
    private static T Read<T>(Func<Task<T>> read) => Task.Run(read).GetAwaiter().GetResult();

    /// <summary>The screen as the terminal shows it, one string per row, trailing blanks trimmed.</summary>
    private static List<string> ScreenText(IApplication app)
    {
        var contents = app.Driver!.Contents!;
        var lines = new List<string>();
        for (int row = 0; row < contents.GetLength(0); row++)
        {
            var text = new System.Text.StringBuilder();
            for (int col = 0; col < contents.GetLength(1); col++)
            {
                text.Append(contents[row, col].Grapheme);
            }

            lines.Add(text.ToString().TrimEnd());
        }

        return lines;
    }

    /// <summary>Lets background work finish, runs what it posted back to the UI thread, then lays out and draws.</summary>
    private static void Settle(IApplication app, LedgerWindow window)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            // Not await: Terminal.Gui puts its own synchronisation context on this thread, and a
            // continuation posted to it would wait for the very loop this test is pumping.
            Thread.Sleep(20);
            app.TimedEvents?.RunTimers();
        }
        while (window.Busy && DateTime.UtcNow < deadline);

        window.Busy.ShouldBeFalse("background work did not finish");
        app.LayoutAndDraw(true);
    }
}
