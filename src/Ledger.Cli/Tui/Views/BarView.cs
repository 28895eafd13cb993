using Terminal.Gui.ViewBase;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Ledger.Cli.Tui.Views;

/// <summary>One line of text in one colour: the header, the prompt and the status bar.</summary>
internal sealed class BarView : View
{
    private string _text = "";

    public BarView(Attribute attribute)
    {
        Attribute = attribute;
        Height = 1;
        Width = Dim.Fill();
    }

    public Attribute Attribute { get; set; }

    public new string Text
    {
        get => _text;
        set
        {
            _text = Ledger.Core.Text.TerminalText.Line(value);
            SetNeedsDraw();
        }
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        SetAttribute(Attribute);
        Move(0, 0);
        var width = Viewport.Width;
        AddStr(_text.Length >= width ? _text[..width] : _text.PadRight(width));
        return true;
    }
}
