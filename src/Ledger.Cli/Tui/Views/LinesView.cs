using Ledger.Cli.Tui.ViewModels;
using Terminal.Gui.ViewBase;

namespace Ledger.Cli.Tui.Views;

/// <summary>
/// A window onto a list of coloured lines, drawn only for the rows on screen (the list may be long),
/// with an optional cursor row. Keys are handled by the screen around it.
/// </summary>
internal sealed class LinesView : View
{
    private IReadOnlyList<StyledLine> _lines = [];

    public LinesView()
    {
        CanFocus = true;
    }

    /// <summary>The selected row, or null where the view only scrolls.</summary>
    public int? Selected { get; private set; }

    public int Top { get; private set; }

    public int PageSize => Math.Max(1, Viewport.Height);

    public IReadOnlyList<StyledLine> Lines => _lines;

    public void Show(IReadOnlyList<StyledLine> lines, int? cursor, int? top = null)
    {
        _lines = lines;
        Selected = cursor;
        if (top is { } t)
        {
            Top = t;
        }

        Clamp();
        SetNeedsDraw();
    }

    public void ScrollBy(int delta)
    {
        Top += delta;
        Clamp();
        SetNeedsDraw();
    }

    public void ScrollTo(int top)
    {
        Top = top;
        Clamp();
        SetNeedsDraw();
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        Clamp();
        var width = Viewport.Width;
        for (int row = 0; row < Viewport.Height; row++)
        {
            var i = Top + row;
            var line = i < _lines.Count ? _lines[i] : null;
            SetAttribute(i == Selected ? Palette.Selected : Palette.Of(line?.Tone ?? Tone.Normal));
            Move(0, row);
            var text = line?.Text ?? "";
            AddStr(text.Length >= width ? text[..width] : text.PadRight(width));
            foreach (var mark in line?.Marks ?? [])
            {
                // Drawn over the line, clipped to the view (one column a character, as above).
                var end = Math.Min(width, mark.Start + mark.Length);
                if (mark.Start < end)
                {
                    SetAttribute(Palette.Match);
                    Move(mark.Start, row);
                    AddStr(text[mark.Start..end]);
                }
            }
        }

        return true;
    }

    private void Clamp()
    {
        var height = Math.Max(1, Viewport.Height);
        if (Selected is { } c)
        {
            if (c < Top)
            {
                Top = c;
            }
            else if (c >= Top + height)
            {
                Top = c - height + 1;
            }
        }

        Top = Math.Clamp(Top, 0, Math.Max(0, _lines.Count - (Selected is null ? height : 1)));
    }
}
