using Ledger.Cli.Tui.ViewModels;
using Ledger.Core.Text;
using Terminal.Gui.ViewBase;

namespace Ledger.Cli.Tui.Views;

/// <summary>
/// A window onto a list of coloured lines, drawn only for the rows on screen (the list may be long),
/// with an optional cursor row. Keys are handled by the screen around it. Rows with a cursor (the
/// timeline, the suspects) stay one line each, a long one ending in an ellipsis at a word
/// boundary; text without a cursor (details, help, restore, validation) is wrapped at spaces to
/// the width, so nothing is cut. <see cref="Top"/> counts the lines as drawn.
/// </summary>
internal sealed class LinesView : View
{
    private IReadOnlyList<StyledLine> _lines = [];
    private (IReadOnlyList<StyledLine> From, int Width, IReadOnlyList<StyledLine> Lines)? _wrapped;

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
        var lines = Drawn();
        for (int row = 0; row < Viewport.Height; row++)
        {
            var i = Top + row;
            var line = i < lines.Count ? lines[i] : null;
            SetAttribute(i == Selected ? Palette.Selected : Palette.Of(line?.Tone ?? Tone.Normal));
            Move(0, row);
            var text = line?.Text ?? "";
            AddStr(text.Length > width ? Ellipsis(text, width) : text.PadRight(width));
            foreach (var mark in line?.Marks ?? [])
            {
                // Drawn over the line, clipped to the view and to the ellipsis (one column a character, as above).
                var end = Math.Min(text.Length > width ? width - 1 : width, mark.Start + mark.Length);
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

    /// <summary><paramref name="text"/> in exactly <paramref name="width"/> columns, ending in "…" at a word boundary when it is longer (<see cref="Fitting.AtWord"/>).</summary>
    public static string Ellipsis(string text, int width) => Fitting.AtWord(text, width).PadRight(width);

    /// <summary>
    /// Lines without a cursor broken at spaces to <paramref name="width"/>; a continuation keeps the
    /// line's indent plus two columns.
    /// </summary>
    public static IReadOnlyList<StyledLine> Wrap(IReadOnlyList<StyledLine> lines, int width)
    {
        if (width < 10 || lines.All(l => l.Text.Length <= width))
        {
            return lines;
        }

        var result = new List<StyledLine>(lines.Count);
        foreach (var line in lines)
        {
            if (line.Text.Length <= width)
            {
                result.Add(line);
                continue;
            }

            var indent = new string(' ', Math.Min(width / 2, line.Text.Length - line.Text.TrimStart(' ').Length + 2));
            var first = true;
            var rest = line.Text;
            while (rest.Length > 0)
            {
                var room = first ? width : width - indent.Length;
                var piece = ViewModels.EventTables.Wrap(rest, room).First();
                if (piece.Length == 0)
                {
                    // Only spaces before the break: cut the long word hard instead.
                    piece = rest[..Math.Min(rest.Length, room)];
                }

                result.Add(new StyledLine(first ? piece : indent + piece, line.Tone));
                rest = rest[Math.Min(rest.Length, piece.Length)..].TrimStart(' ');
                first = false;
            }
        }

        return result;
    }

    /// <summary>The lines as drawn: rows with a cursor as they are, other text wrapped to the width.</summary>
    private IReadOnlyList<StyledLine> Drawn()
    {
        var width = Viewport.Width;
        if (Selected is not null || width <= 0)
        {
            return _lines;
        }

        if (_wrapped is not { } w || !ReferenceEquals(w.From, _lines) || w.Width != width)
        {
            w = (_lines, width, Wrap(_lines, width));
            _wrapped = w;
        }

        return w.Lines;
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

        Top = Math.Clamp(Top, 0, Math.Max(0, Drawn().Count - (Selected is null ? height : 1)));
    }
}
