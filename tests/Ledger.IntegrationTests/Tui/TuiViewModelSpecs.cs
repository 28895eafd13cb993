using Ledger.Cli.Tui.ViewModels;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;
using Ledger.Store;

namespace Ledger.IntegrationTests.Tui;

/// <summary>The TUI's view models against a real database and a real imported repository; no Terminal.Gui involved.</summary>
public sealed class TuiViewModelSpecs : IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _db;

    public TuiViewModelSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    [Fact]
    public async Task The_timeline_reads_pages_of_200_by_keyset_as_the_cursor_nears_the_end()
    {
        // Arrange: 450 events on a host of their own
        var events = Enumerable.Range(1, 450).Select(i => new NewEvent($"alert:paging:{i}", new AlertFired("paging", "am", $"Alert{i}", $"f{i}", DateTimeOffset.UnixEpoch, "warning", new Dictionary<string, string>(), new Dictionary<string, string>(), null)));
        await _db.Store.StartStreamsAsync(events);
        var vm = new TimelineViewModel(_db.Store, "paging", TimeZoneInfo.Utc);

        // Act
        await vm.ReloadAsync();

        // Assert: one page, newest first, and no more read until the cursor comes near its end
        vm.Rows.Count.ShouldBe(TimelineViewModel.PageSize);
        vm.Rows.ShouldBe(vm.Rows.OrderByDescending(r => r.Seq));
        vm.NeedsMore.ShouldBeFalse();
        vm.Move(TimelineViewModel.PageSize - TimelineViewModel.Prefetch);
        vm.NeedsMore.ShouldBeTrue();
        (await vm.LoadMoreAsync()).ShouldBe(200);
        vm.Select(int.MaxValue);
        (await vm.LoadMoreAsync()).ShouldBe(50);
        vm.Exhausted.ShouldBeTrue();
        vm.Rows.Select(r => r.Seq).Distinct().Count().ShouldBe(450);
        vm.Rows.ShouldBe(vm.Rows.OrderByDescending(r => r.Seq));
    }

    [Fact]
    public async Task G_reads_the_oldest_page_with_one_query_and_scrolling_up_reads_the_pages_above_it()
    {
        // Arrange: 1,050 events on a host of their own, the newest page loaded
        var events = Enumerable.Range(1, 1050).Select(i => new NewEvent($"alert:oldest:{i}", new AlertFired("oldest", "am", $"Alert{i}", $"f{i}", DateTimeOffset.UnixEpoch, "warning", new Dictionary<string, string>(), new Dictionary<string, string>(), null)));
        await _db.Store.StartStreamsAsync(events);
        var all = await _db.Store.TimelineAsync(new TimelineQuery { Host = "oldest", Limit = null });
        var vm = new TimelineViewModel(_db.Store, "oldest", TimeZoneInfo.Utc);
        await vm.ReloadAsync();

        // Act
        await vm.JumpToOldestAsync();

        // Assert: the cursor is on the true oldest event, and only one page is held (not the 800 between)
        vm.Current!.Seq.ShouldBe(all[^1].Seq);
        vm.Current.Title.ShouldContain("Alert1");
        vm.Rows.Count.ShouldBe(TimelineViewModel.PageSize);
        vm.Rows.Select(r => r.Seq).ShouldBe(all.TakeLast(TimelineViewModel.PageSize).Select(r => r.Seq));
        vm.Exhausted.ShouldBeTrue();
        vm.AtNewest.ShouldBeFalse();
        vm.NeedsMore.ShouldBeFalse();

        // Act: move up to the top of the page; the page above is read and the cursor keeps its row
        vm.Select(TimelineViewModel.Prefetch - 1);
        var onRow = vm.Current!.Seq;
        vm.NeedsNewer.ShouldBeTrue();
        (await vm.LoadNewerAsync()).ShouldBe(TimelineViewModel.PageSize);

        // Assert
        vm.Current!.Seq.ShouldBe(onRow);
        vm.Rows.Select(r => r.Seq).ShouldBe(all.TakeLast(2 * TimelineViewModel.PageSize).Select(r => r.Seq));

        // Act: g goes back to the newest, reading the first page again
        await vm.JumpToNewestAsync();

        // Assert
        vm.AtNewest.ShouldBeTrue();
        vm.Current!.Seq.ShouldBe(all[0].Seq);
        vm.Rows.Select(r => r.Seq).ShouldBe(all.Take(TimelineViewModel.PageSize).Select(r => r.Seq));
    }

    [Fact]
    public async Task A_filter_narrows_by_kind_and_text_and_n_jumps_between_titles_that_show_the_text()
    {
        // Arrange
        using var h = await TuiHistory.CreateAsync(_db, "vm-filter");
        var vm = new TimelineViewModel(_db.Store, h.Host, TimeZoneInfo.Utc);
        await vm.ReloadAsync();
        var all = vm.Rows.Count;

        // Act
        await vm.ApplyFilterAsync("kind:config-edit nvidia");

        // Assert
        vm.Rows.ShouldHaveSingleItem().Seq.ShouldBe(h.GpuSeq);
        vm.FindMatch(forward: true).ShouldBeNull();

        await vm.ApplyFilterAsync("jellyfin");
        vm.Rows.Count.ShouldBe(3); // every commit touches or names jellyfin in its payload
        vm.Rows.All(r => r.Kind == "config-edit").ShouldBeTrue();
        vm.Select(0);
        vm.FindMatch(forward: true).ShouldBeNull(); // only the newest commit's title says jellyfin, and the cursor is on it
        vm.Current!.Title.ShouldContain("jellyfin");

        await vm.ApplyFilterAsync("");
        vm.Filter.ShouldBeNull();
        vm.Rows.Count.ShouldBe(all);
    }

    [Fact]
    public async Task A_filter_exposes_where_each_row_shows_its_text_case_insensitively_issue_15()
    {
        // Arrange: titles with quotes, a backslash, non-ASCII letters and a percent sign
        var host = "vm-marks";
        string[] purposes = ["""Move "media" to D:\media""", "Rename JELLYFIN-ÄÖ and jellyfin-äö", "Cap cache_size at 100%"];
        await _db.Store.StartStreamsAsync(purposes.Select((p, i) => new NewEvent(
            $"commit:{host}:{i}",
            new ConfigEdited(host, "alice", "/etc/nixos", $"{i:x4}".PadRight(40, 'b'), [], "Alice", "alice@example.org", DateTimeOffset.UtcNow, p + "\n", p, [], 0, 0))));
        var vm = new TimelineViewModel(_db.Store, host, TimeZoneInfo.Utc);

        async Task<List<string>> MarkedAsync(string filter)
        {
            await vm.ApplyFilterAsync(filter);
            return vm.Rows.SelectMany(r => vm.Matches(r).Select(m => vm.RowText(r).Substring(m.Start, m.Length))).ToList();
        }

        // Act
        var quoted = await MarkedAsync("\"media\"");
        var path = await MarkedAsync("d:\\MEDIA");
        var unicode = await MarkedAsync("jellyfin-äö");
        var percent = await MarkedAsync("100%");
        var none = await MarkedAsync("kind:config-edit");

        // Assert
        quoted.ShouldBe(["\"media\""]);
        path.ShouldBe(["D:\\media"]);
        unicode.ShouldBe(["JELLYFIN-ÄÖ", "jellyfin-äö"]);
        percent.ShouldBe(["100%"]);
        none.ShouldBeEmpty();
        vm.Rows.Count.ShouldBe(3);
        vm.RowLine(vm.Rows[0]).Marks.ShouldNotBeNull().ShouldBeEmpty();
    }

    [Fact]
    public async Task Details_of_a_config_edit_show_files_with_ranges_the_coloured_diff_and_the_linked_validation()
    {
        // Arrange
        using var h = await TuiHistory.CreateAsync(_db, "vm-details");
        var entry = (await _db.Store.GetAsync(h.GpuSeq))!;

        // Act
        var details = await DetailsViewModel.LoadAsync(_db.Store, entry, TimeZoneInfo.Utc);

        // Assert
        var text = details.Lines.Select(l => l.Text).ToList();
        text.ShouldContain(l => l.Contains("added", StringComparison.Ordinal) && l.Contains("gpu.nix", StringComparison.Ordinal) && l.Contains("lines 1-2", StringComparison.Ordinal));
        text.ShouldContain("purpose: Enable the NVIDIA driver for transcoding");
        text.ShouldContain("Validations of this commit (1):");
        text.ShouldContain(l => l.Contains("gpu: pass - GPU present", StringComparison.Ordinal));
        details.Lines.ShouldContain(l => l.Tone == Tone.Added && l.Text == "+{ hardware.nvidia.open = false;");
        details.Lines.ShouldContain(l => l.Tone == Tone.Removed && l.Text == "-{ imports = [ ./media.nix ]; }");
        details.Lines.ShouldContain(l => l.Tone == Tone.Hunk);
        details.DiffStart.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task The_change_doc_of_a_config_edit_is_rendered_like_ledger_docs_writes_it()
    {
        // Arrange
        using var h = await TuiHistory.CreateAsync(_db, "vm-doc");
        var entry = (await _db.Store.GetAsync(h.GpuSeq))!;

        // Act
        var doc = await DetailsViewModel.ChangeDocAsync(_db.Store, entry, TimeZoneInfo.Utc);

        // Assert
        var text = doc.ShouldNotBeNull().Lines.Select(l => l.Text).ToList();
        foreach (var label in new[] { "- **Date**:", "- **Purpose**:", "- **Files/Lines Modified**:", "- **How to Roll Back**:", "- **Validation**:", "- **Notes**:" })
        {
            text.ShouldContain(l => l.StartsWith(label, StringComparison.Ordinal), label);
        }

        text.ShouldContain(l => l.StartsWith("### ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Snapshots_and_alerts_show_as_aligned_tables_within_80_columns_not_json()
    {
        // Arrange: one event of each kind, as the collectors and the webhook record them
        const string host = "vm-tables";
        var gib = 1024L * 1024 * 1024;
        var gpu = await _db.Store.AppendAsync(new NewEvent(StreamKeys.Snapshots(host, "gpu"), new GpuSnapshotTaken(host, "svc", "nvidia-smi",
            [new GpuReading(0, "NVIDIA GeForce RTX 3060 Laptop GPU", "GPU-1", 45, 10, 1234, 6144, 61, 85.2, 12, 30, [new GpuProcess(4242, "jellyfin-ffmpeg", 512)])])));
        var containers = await _db.Store.AppendAsync(new NewEvent(StreamKeys.Snapshots(host, "containers"), new ContainerSnapshotTaken(host, "svc", "podman",
            [
                new ContainerState("a1", "sonarr", "lscr.io/linuxserver/sonarr:latest", "exited", null, 0, null, []),
                new ContainerState("b2", "jellyfin", "docker.io/jellyfin/jellyfin:10.10", "running", "healthy", 3, null, ["8096/tcp"]),
            ])));
        var storage = await _db.Store.AppendAsync(new NewEvent(StreamKeys.Snapshots(host, "storage"), new StorageSnapshotTaken(host, "svc",
            [new MountUsage("/", "hot", 100 * gib, 95 * gib, 5 * gib), new MountUsage("/mnt/media", "cold", 4096 * gib, 1024 * gib, 3072 * gib)])));
        var starts = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var labels = new Dictionary<string, string> { ["alertname"] = "GpuHot", ["instance"] = "mediabox:9835", ["severity"] = "critical" };
        var annotations = new Dictionary<string, string> { ["summary"] = "GPU temperature above 85 C for 5 minutes on the media box while transcoding four streams at once" };
        var fired = await _db.Store.AppendAsync(new NewEvent("alert:vm-tables:1", new AlertFired(host, "alertmanager", "GpuHot", "fp1", starts, "critical", labels, annotations, "http://prometheus:9090/graph")));
        var resolved = await _db.Store.AppendAsync(new NewEvent("alert:vm-tables:2", new AlertResolved(host, "alertmanager", "GpuHot", "fp1", starts, starts.AddMinutes(90), labels, annotations)));

        // Act
        async Task<List<StyledLine>> Lines(long seq) => [.. (await DetailsViewModel.LoadAsync(_db.Store, (await _db.Store.GetAsync(seq))!, TimeZoneInfo.Utc)).Lines];
        var gpuLines = await Lines(gpu);
        var containerLines = await Lines(containers);
        var storageLines = await Lines(storage);
        var firedLines = await Lines(fired);
        var resolvedLines = await Lines(resolved);

        // Assert: one row per GPU / container / mount, columns aligned under their headings
        var text = (List<StyledLine> l) => l.Select(x => x.Text).ToList();
        text(gpuLines).ShouldContain("#  NAME                    UTIL    MEMORY MiB  TEMP   POWER   ENC/DEC PROCS");
        text(gpuLines).ShouldContain("0  NVIDIA GeForce RTX 30…   45%     1234/6144  61 C  85.2 W   12%/30%     1");
        text(gpuLines).ShouldContain(l => l.Contains("pid 4242", StringComparison.Ordinal) && l.Contains("jellyfin-ffmpeg", StringComparison.Ordinal) && l.Contains("512 MiB", StringComparison.Ordinal));
        text(containerLines).ShouldContain("NAME               IMAGE                          STATE     HEALTH    RESTARTS");
        text(containerLines).ShouldContain("jellyfin           docker.io/jellyfin/jellyfin:1… running   healthy          3");
        containerLines.ShouldContain(l => l.Text.StartsWith("sonarr ", StringComparison.Ordinal) && l.Text.Contains("exited", StringComparison.Ordinal) && l.Tone == Tone.Bad);
        text(storageLines).ShouldContain(l => l.StartsWith("/                              hot      95.0 GiB  100.0 GiB   95%  ##########", StringComparison.Ordinal));
        storageLines.ShouldContain(l => l.Text.StartsWith("/mnt/media ", StringComparison.Ordinal) && l.Text.Contains("1.0 TiB", StringComparison.Ordinal) && l.Text.Contains("25%", StringComparison.Ordinal));
        text(firedLines).ShouldContain("status:      firing");
        text(firedLines).ShouldContain("startsAt:    2026-03-01 10:00:00 +00:00");
        text(firedLines).ShouldContain("  instance:                 mediabox:9835");
        text(firedLines).ShouldContain(l => l.StartsWith("  summary:                  GPU temperature above 85 C", StringComparison.Ordinal));
        text(resolvedLines).ShouldContain("status:      resolved");
        text(resolvedLines).ShouldContain("endsAt:      2026-03-01 11:30:00 +00:00   (lasted 1h 30m)");
        foreach (var l in new[] { gpuLines, containerLines, storageLines, firedLines, resolvedLines }.SelectMany(x => x))
        {
            l.Text.Length.ShouldBeLessThanOrEqualTo(80, l.Text);
            l.Text.ShouldNotContain("\"host\":");
        }
    }

    [Fact]
    public async Task Escape_sequences_in_a_commit_message_reach_the_screen_inert()
    {
        // Arrange
        using var h = await TuiHistory.CreateAsync(_db, "vm-escape");
        var vm = new TimelineViewModel(_db.Store, h.Host, TimeZoneInfo.Utc);
        await vm.ReloadAsync();
        var stop = vm.Rows.First(r => r.Title.Contains("Stop jellyfin", StringComparison.Ordinal));

        // Act
        var row = vm.RowText(stop);
        var details = await DetailsViewModel.LoadAsync(_db.Store, stop, TimeZoneInfo.Utc);

        // Assert
        row.ShouldNotContain('\u001b');
        row.ShouldContain(TerminalText.Replacement);
        details.Lines.ShouldAllBe(l => !l.Text.Any(TerminalText.IsUnsafe));
    }

    [Fact]
    public async Task A_restore_plans_with_the_engine_refuses_a_wrong_host_name_then_runs_and_reports_each_step()
    {
        // Arrange
        using var h = await TuiHistory.CreateAsync(_db, "vm-restore");
        var target = (await _db.Store.GetAsync(h.FirstSeq))!;
        var repo = await RestoreViewModel.ResolveRepoAsync(_db.Store, null, target);
        var services = h.Services(_db.Store);
        var vm = new RestoreViewModel(w => services.Operation(h.Host, w), h.Host, repo, h.FirstSeq);
        var live = new List<string>();

        // Act
        await vm.PlanAsync();

        // Assert: the plan as ledger restore writes it
        repo.ShouldBe(Path.TrimEndingDirectorySeparator(h.Repo.Path));
        vm.State.ShouldBe(RestoreState.Confirming);
        vm.Lines.Select(l => l.Text).ShouldContain(l => l.Contains("added     gpu.nix", StringComparison.Ordinal) || l.Contains("deleted   gpu.nix", StringComparison.Ordinal));

        vm.Lines.Select(l => l.Text).ShouldContain("  ok:   nothing stops this restore");

        // a wrong name is refused on Enter, at once, and the error goes when the admin types again
        vm.Confirm("not-the-host").ShouldBeFalse();
        (await vm.ExecuteAsync(live.Add)).ShouldBeFalse();
        vm.State.ShouldBe(RestoreState.Confirming);
        vm.ConfirmError!.ShouldContain("'not-the-host' is not the host name");
        vm.Lines[^1].Text.ShouldBe(vm.ConfirmError);
        vm.Type(h.Host);
        vm.ConfirmError.ShouldBeNull();
        vm.Lines.ShouldNotContain(l => l.Text.Contains("is not the host name", StringComparison.Ordinal));

        vm.Confirm(h.Host).ShouldBeTrue();
        (await vm.ExecuteAsync(live.Add)).ShouldBeTrue(vm.Message);
        vm.State.ShouldBe(RestoreState.Succeeded);
        vm.Lines.Count(l => l.Text.StartsWith("Restored ", StringComparison.Ordinal)).ShouldBe(1, "the result is shown once");
        vm.Message.ShouldBe("Restored (above). Esc returns to the timeline.");
        live.ShouldContain(l => l.Contains("switch", StringComparison.Ordinal));
        var restores = await _db.Store.TimelineAsync(new TimelineQuery { Host = h.Host, Kinds = ["restore"], Limit = null });
        restores.ShouldContain(r => r.Data is RestoreCompleted);
        h.Repo.Git("rev-parse", "HEAD^{tree}").ShouldBe(h.Repo.Git("rev-parse", target.Data is ConfigEdited c ? c.Sha + "^{tree}" : "x"));
    }

    [Fact]
    public void Keys_are_rebound_from_json_and_a_rebound_action_loses_its_default_keys()
    {
        // Act
        var keys = KeyMap.Parse("""{ "restore": ["X"], "down": "J" }""", "tui-keys.json");

        // Assert
        keys["X"].ShouldBe(TuiAction.Restore);
        keys["R"].ShouldBeNull();
        keys["J"].ShouldBe(TuiAction.Down);
        keys["j"].ShouldBeNull();
        keys["?"].ShouldBe(TuiAction.Help);
        KeyMap.Default["Enter"].ShouldBe(TuiAction.Details);
        KeyMap.NameOf(TuiAction.MonthlyReport).ShouldBe("monthly-report");
    }

    [Fact]
    public void An_unknown_action_in_the_key_file_is_refused_with_the_known_ones()
    {
        var e = Should.Throw<LedgerException>(() => KeyMap.Parse("""{ "explode": "x" }""", "tui-keys.json"));

        e.Message.ShouldContain("next-match");
    }
}
