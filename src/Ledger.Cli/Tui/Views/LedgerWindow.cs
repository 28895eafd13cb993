using System.Text;
using Ledger.Cli.Tui.ViewModels;
using Ledger.Core.Errors;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Ledger.Cli.Tui.Views;

/// <summary>
/// The one window of <c>ledger tui</c>: a header, the current screen (timeline, details, help,
/// restore or validation) as coloured lines, a prompt line and a status bar. Screens are swapped in place rather
/// than run as nested modal loops, so the keyboard alone drives everything and a test can drive it
/// by injecting keys. Work against the database runs in the background and comes back through
/// <see cref="IApplication.Invoke(Action)"/>.
/// </summary>
/// <remarks>
/// One concern a file: the views and what they show (<c>Layout</c>), keys and actions (<c>Keys</c>),
/// the <c>/</c> and <c>:</c> prompts (<c>CommandLine</c>), and one file each for the details, restore,
/// validation and annotate screens. This file holds the state they share, going back, and background work.
/// </remarks>
internal sealed partial class LedgerWindow : Window
{
    private readonly IApplication _app;
    private readonly TuiServices _svc;
    private readonly StringBuilder _input = new();
    private int _busy;
    private char? _promptKind;
    private string? _message;
    private AnnotateDialog? _annotate;
    private int _validationLinesShown;

    public LedgerWindow(IApplication app, TuiServices services)
    {
        _app = app;
        _svc = services;
        BorderStyle = Terminal.Gui.Drawing.LineStyle.None;
        Width = Dim.Fill();
        Height = Dim.Fill();
        Timeline = new TimelineViewModel(services.Store, services.Host, services.Zone);
        Add(_header, _columns, _body, _prompt, _status);
        _body.SetFocus();
        Refresh();
        Background(() => Timeline.ReloadAsync());
    }

    public TimelineViewModel Timeline { get; }

    public DetailsViewModel? Details { get; private set; }

    public RestoreViewModel? Restore { get; private set; }

    /// <summary>The latest validation started with <c>v</c> (running or done), or null.</summary>
    public ValidationViewModel? Validation { get; private set; }

    /// <summary>The annotate dialog while it is open.</summary>
    public AnnotateDialog? Annotating => _annotate;

    public Screen Screen { get; private set; } = Screen.Timeline;

    /// <summary>Work is running in the background (tests wait for this to fall to zero).</summary>
    public bool Busy => Volatile.Read(ref _busy) > 0;

    /// <summary>The prompt being typed (<c>/</c> filter, <c>:</c> command), or null.</summary>
    public char? PromptKind => _promptKind;

    public string? Message => _message;

    public IReadOnlyList<StyledLine> VisibleLines => _body.Lines;

    private void Back()
    {
        if (Screen == Screen.Restore && Restore?.State == RestoreState.Running)
        {
            _message = "The restore is running; it cannot be left half done. Wait for it to finish.";
            return;
        }

        if (Screen == Screen.Validation && Validation is { Running: true })
        {
            _message = $"The validation goes on in the background; {KeyOf(TuiAction.Validate)} shows it again.";
        }

        var restored = Screen == Screen.Restore && Restore?.State is RestoreState.Succeeded or RestoreState.Failed;
        Screen = Screen switch
        {
            Screen.Help when Details is not null => Screen.Details,
            Screen.Help or Screen.Details or Screen.Restore when Why is not null && !restored => Screen.Why,
            _ => Screen.Timeline,
        };
        if (Screen == Screen.Details)
        {
            _body.Show(Details!.Lines, null, 0);
        }
        else
        {
            Details = null;
        }

        if (Screen == Screen.Timeline)
        {
            Why = null;
            Fleet = null;
        }

        Restore = null;
        if (restored)
        {
            // Show what the restore recorded: newest first, without the filter that found the target.
            Background(() => Timeline.ApplyFilterAsync(""));
        }
    }

    /// <summary>Runs <paramref name="work"/> off the UI thread; <paramref name="after"/> (or the error as the message) comes back on it.</summary>
    private void Background(Func<Task> work, Action? after = null)
    {
        Interlocked.Increment(ref _busy);
        _ = Task.Run(async () =>
        {
            string? error = null;
            try
            {
                await work();
            }
            catch (LedgerException e)
            {
                error = e.Message;
            }
            catch (Exception e)
            {
                error = $"Unexpected error: {e.Message}";
            }

            _app.Invoke(() =>
            {
                try
                {
                    if (error is not null)
                    {
                        _message = error;
                    }
                    else
                    {
                        after?.Invoke();
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _busy);
                    Refresh();
                }
            });
        });
    }
}
