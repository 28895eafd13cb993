using Ledger.Cli.Tui.ViewModels;
using Ledger.Cli.Tui.Views;
using Ledger.IntegrationTests.Support;
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
