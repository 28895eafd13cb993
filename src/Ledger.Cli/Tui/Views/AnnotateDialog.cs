using Terminal.Gui.Drawing;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Ledger.Cli.Tui.Views;

/// <summary>
/// <c>a</c>: purpose and notes for a change, in a small box over the screen with two text fields,
/// OK and Cancel. The window shows it as a subview and sends it every key while it is open (modal
/// without a nested run loop, so a test drives it with injected keys like the rest). Tab and the
/// cursor keys move between fields and buttons, Enter on a field or OK submits, Esc cancels.
/// </summary>
internal sealed class AnnotateDialog : View
{
    private readonly Button _ok = new() { Text = "OK", X = 10, Y = 3, IsDefault = true };
    private readonly Button _cancel = new() { Text = "Cancel", Y = 3 };
    private readonly View[] _order;

    public AnnotateDialog(string title)
    {
        Title = title;
        BorderStyle = LineStyle.Single;
        X = Pos.Center();
        Y = Pos.Center();
        Width = Dim.Percent(90);
        Height = 8;
        CanFocus = true;
        Purpose = new Field(this) { X = 10, Y = 0, Width = Dim.Fill(1) };
        Notes = new Field(this) { X = 10, Y = 1, Width = Dim.Fill(1) };
        _cancel.X = Pos.Right(_ok) + 2;
        _order = [Purpose, Notes, _ok, _cancel];
        Add(
            new Label { Text = "Purpose:", X = 1, Y = 0 },
            Purpose,
            new Label { Text = "Notes:", X = 1, Y = 1 },
            Notes,
            _ok,
            _cancel,
            new Label { Text = "Tab next  Enter OK  Esc cancel  (a blank field changes nothing)", X = 1, Y = 5 });
        _ok.Accepting += (_, e) =>
        {
            e.Handled = true;
            Submitted?.Invoke();
        };
        _cancel.Accepting += (_, e) =>
        {
            e.Handled = true;
            Cancelled?.Invoke();
        };
    }

    public event Action? Submitted;

    public event Action? Cancelled;

    public TextField Purpose { get; }

    public TextField Notes { get; }

    /// <summary>Puts the cursor in the purpose field.</summary>
    public void Start() => Purpose.SetFocus();

    protected override bool OnKeyDown(Key key) => Navigate(key, onField: false);

    private bool Navigate(Key key, bool onField)
    {
        switch (key.KeyCode)
        {
            case KeyCode.Tab or KeyCode.CursorDown:
                Step(1);
                return true;
            case KeyCode.Tab | KeyCode.ShiftMask or KeyCode.CursorUp:
                Step(-1);
                return true;
            case KeyCode.Esc:
                Cancelled?.Invoke();
                return true;
            case KeyCode.Enter when onField:
                Submitted?.Invoke();
                return true;
            default:
                return false;
        }
    }

    private void Step(int delta)
    {
        var i = Array.FindIndex(_order, v => v.HasFocus);
        _order[(Math.Max(i, 0) + delta + _order.Length) % _order.Length].SetFocus();
    }

    /// <summary>A text field that leaves Tab, the cursor keys up and down, Enter and Esc to the dialog.</summary>
    private sealed class Field(AnnotateDialog dialog) : TextField
    {
        protected override bool OnKeyDown(Key key) => dialog.Navigate(key, onField: true) || base.OnKeyDown(key);
    }
}
