using Ledger.App.Rendering;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Core.Timeline;
using Ledger.Store;

namespace Ledger.Cli.Tui.ViewModels;

/// <summary>
/// The timeline, newest first, read page by page with the store's keyset cursor: a page of
/// <see cref="PageSize"/> rows is fetched as the cursor nears the end of what is loaded, so a
/// million events cost no more to open than two hundred. <c>G</c> reads the oldest page directly
/// (not every page between), and scrolling up from there reads the pages above it. Row lists are replaced, never changed in
/// place, so a draw on the UI thread never sees a half-added page.
/// </summary>
internal sealed class TimelineViewModel
{
    public const int PageSize = 200;

    /// <summary>How close to the end of the loaded rows the cursor may come before the next page is read.</summary>
    public const int Prefetch = 50;

    private readonly LedgerStore _store;

    // Rows prepended in the background shift the cursor; the UI thread moves it: one lock for both.
    private readonly Lock _cursor = new();
    private int _loading;
    private IReadOnlyList<TimelineEntry> _rows = [];
    private int _version;

    public TimelineViewModel(LedgerStore store, string? host, TimeZoneInfo zone)
    {
        _store = store;
        Host = host;
        Zone = zone;
        Filter = null;
    }

    public string? Host { get; }

    public TimeZoneInfo Zone { get; }

    public TimelineFilter? Filter { get; private set; }

    public IReadOnlyList<TimelineEntry> Rows => _rows;

    public int Selected { get; private set; }

    /// <summary>The oldest matching row is loaded (nothing more below).</summary>
    public bool Exhausted { get; private set; }

    /// <summary>The loaded rows start at the newest matching row (false after a jump to the oldest page).</summary>
    public bool AtNewest { get; private set; } = true;

    public TimelineEntry? Current => Selected >= 0 && Selected < _rows.Count ? _rows[Selected] : null;

    public TimelineQuery BaseQuery => new() { Host = Host, Limit = PageSize };

    public TimelineQuery Query => (Filter?.Query ?? BaseQuery) with { Limit = PageSize };

    /// <summary>Reads the first page again (after a filter change or new events).</summary>
    public async Task ReloadAsync(CancellationToken ct = default)
    {
        var version = Interlocked.Increment(ref _version);
        var page = await _store.TimelineAsync(Query with { BeforeSeq = null }, ct);
        if (version != Volatile.Read(ref _version))
        {
            return; // a newer filter won
        }

        _rows = page;
        Exhausted = page.Count < PageSize;
        AtNewest = true;
        Selected = 0;
    }

    /// <summary>
    /// <c>G</c>: the cursor on the oldest matching event. When it is not loaded yet, the oldest page
    /// is read with one query in place of what is loaded; pages above it load as the cursor moves up.
    /// </summary>
    public async Task JumpToOldestAsync(CancellationToken ct = default)
    {
        if (Exhausted)
        {
            Select(int.MaxValue);
            return;
        }

        var version = Interlocked.Increment(ref _version);
        var page = await _store.TimelineAsync(Query with { BeforeSeq = null, AfterSeq = null, FromOldest = true }, ct);
        if (version != Volatile.Read(ref _version))
        {
            return;
        }

        _rows = page;
        Exhausted = true;
        AtNewest = page.Count < PageSize;
        Selected = Math.Max(0, page.Count - 1);
    }

    /// <summary><c>g</c>: the cursor on the newest event, reading the first page again when the loaded rows start below it.</summary>
    public Task JumpToNewestAsync(CancellationToken ct = default)
    {
        if (AtNewest)
        {
            Select(0);
            return Task.CompletedTask;
        }

        return ReloadAsync(ct);
    }

    /// <summary>Applies the text typed at <c>/</c>; empty clears the filter.</summary>
    public Task ApplyFilterAsync(string text, CancellationToken ct = default)
    {
        Filter = string.IsNullOrWhiteSpace(text) ? null : TimelineFilter.Parse(text, BaseQuery, Zone);
        return ReloadAsync(ct);
    }

    /// <summary>Whether the cursor is near enough the end that the next page should be read.</summary>
    public bool NeedsMore => !Exhausted && Selected >= _rows.Count - Prefetch;

    /// <summary>Whether the cursor is near enough the top of the loaded rows that the page above should be read.</summary>
    public bool NeedsNewer => !AtNewest && Selected < Prefetch;

    /// <summary>Reads the page above the first loaded row (after a jump to the oldest); the cursor stays on its row.</summary>
    public async Task<int> LoadNewerAsync(CancellationToken ct = default)
    {
        if (AtNewest || Interlocked.Exchange(ref _loading, 1) == 1)
        {
            return 0;
        }

        try
        {
            var version = Volatile.Read(ref _version);
            var rows = _rows;
            if (rows.Count == 0)
            {
                return 0;
            }

            var page = await _store.TimelineAsync(Query with { BeforeSeq = null, AfterSeq = rows[0].Seq }, ct);
            if (version != Volatile.Read(ref _version))
            {
                return 0;
            }

            lock (_cursor)
            {
                _rows = [.. page, .. rows];
                Selected += page.Count;
            }

            AtNewest = page.Count < PageSize;
            return page.Count;
        }
        finally
        {
            Volatile.Write(ref _loading, 0);
        }
    }

    /// <summary>Reads the next page below the last loaded row; returns how many rows came.</summary>
    public async Task<int> LoadMoreAsync(CancellationToken ct = default)
    {
        if (Exhausted || Interlocked.Exchange(ref _loading, 1) == 1)
        {
            return 0;
        }

        try
        {
            var version = Volatile.Read(ref _version);
            var rows = _rows;
            if (rows.Count == 0 || Exhausted)
            {
                return 0;
            }

            var page = await _store.TimelineAsync(Query with { BeforeSeq = rows[^1].Seq }, ct);
            if (version != Volatile.Read(ref _version))
            {
                return 0;
            }

            _rows = [.. rows, .. page];
            Exhausted = page.Count < PageSize;
            return page.Count;
        }
        finally
        {
            Volatile.Write(ref _loading, 0);
        }
    }

    public void Move(int delta)
    {
        lock (_cursor)
        {
            Select(Selected + delta);
        }
    }

    public void Select(int index)
    {
        lock (_cursor)
        {
            Selected = _rows.Count == 0 ? 0 : Math.Clamp(index, 0, _rows.Count - 1);
        }
    }

    /// <summary>The next (or previous) loaded row whose title shows the filter text, from the cursor; null when none.</summary>
    public int? FindMatch(bool forward)
    {
        if (Filter?.Text is not { } text)
        {
            return null;
        }

        for (int step = 1; step <= _rows.Count; step++)
        {
            var i = forward ? Selected + step : Selected - step;
            if (i < 0 || i >= _rows.Count)
            {
                return null;
            }

            if (_rows[i].Title.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>The row as the screen shows it: fixed columns that fit 80 columns, then the title.</summary>
    public string RowText(TimelineEntry e) => TerminalText.Line(RowStart(e) + RowRest(e));

    /// <summary>
    /// Where the row shows the filter's text (case-insensitively), for the screen to highlight.
    /// Sequence number and time are left out: a search matches the payload, and "12" lit up in a
    /// time would point at nothing it found.
    /// </summary>
    public IReadOnlyList<MatchSpan> Matches(TimelineEntry e) =>
        Filter?.Text is { } text ? MatchSpan.All(RowText(e), text, from: RowStart(e).Length) : [];

    /// <summary>The row with its tone and its matches.</summary>
    public StyledLine RowLine(TimelineEntry e) => new(RowText(e), ToneOf(e), Matches(e));

    private string RowStart(TimelineEntry e)
    {
        var (seq, _) = Layout();
        return $"{e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(seq)} {TextTable.LocalTime(e.Timestamp, Zone)} ";
    }

    private string RowRest(TimelineEntry e)
    {
        var (_, host) = Layout();
        return (host > 0 ? Fitting.Cut(e.Host, host).PadRight(host) + " " : "") + $"{EventCatalogue.ShortKind(e.Kind),-11} {e.Title}";
    }

    /// <summary>
    /// The column heads of the rows held now. The time is the full date and minute in the zone the
    /// header names; HOST only when the rows are of several hosts (one host, or a view filtered to
    /// one, says nothing there); no ACTOR (in the details): at 80 columns the title keeps 40 or more.
    /// </summary>
    public string Header
    {
        get
        {
            var (seq, host) = Layout();
            return $"{"SEQ".PadLeft(seq)} {"TIME",-16} " + (host > 0 ? "HOST".PadRight(host) + " " : "") + $"{"KIND",-11} TITLE";
        }
    }

    // Widths for one list of rows: rows are replaced, never changed, so the reference keys it.
    private (IReadOnlyList<TimelineEntry> Rows, int Seq, int Host)? _layout;

    private (int Seq, int Host) Layout()
    {
        var rows = _rows;
        if (_layout is not { } cached || !ReferenceEquals(cached.Rows, rows))
        {
            var seq = Math.Max(3, rows.Count == 0 ? 3 : rows.Max(r => r.Seq).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
            var oneHost = Query.Host is not null || rows.Select(r => r.Host).Distinct(StringComparer.Ordinal).Take(2).Count() < 2;
            var host = oneHost ? 0 : Math.Min(10, Math.Max(4, rows.Max(r => r.Host.Length)));
            cached = (rows, seq, host);
            _layout = cached;
        }

        return (cached.Seq, cached.Host);
    }

    /// <summary>Colour by kind and outcome: failures red, passes green, deploys blue, restores magenta.</summary>
    public static Tone ToneOf(TimelineEntry e) => e.Type switch
    {
        // By type where that is enough: a page's snapshots and edits are not decoded (EventLine).
        "config_edited" => Tone.Heading,
        _ when e.Kind.EndsWith("-snapshot", StringComparison.Ordinal) => Tone.Snapshot,
        _ => ToneOfEvent(e.Data),
    };

    private static Tone ToneOfEvent(object data) => data switch
    {
        ValidationRun { Status: ValidationStatus.Pass } => Tone.Good,
        ValidationRun => Tone.Bad,
        DeployFinished { Outcome: DeployOutcome.Succeeded } => Tone.Good,
        DeployFinished => Tone.Bad,
        DeployStarted => Tone.Deploy,
        RestoreFailed => Tone.Bad,
        RestoreCompleted => Tone.Good,
        RestoreStarted or RestoreStepCompleted => Tone.Restore,
        AlertFired => Tone.Bad,
        AlertResolved => Tone.Good,
        ServiceRestarted { Succeeded: false } => Tone.Bad,
        ChangeAnnotated => Tone.Warn,
        _ => Tone.Normal,
    };

}
