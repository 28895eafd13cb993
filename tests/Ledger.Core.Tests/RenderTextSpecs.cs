using Ledger.Core.Text;

namespace Ledger.Core.Tests;

public sealed class RenderTextSpecs
{
    [Fact]
    public void Control_characters_become_visible_stand_ins_not_deleted()
    {
        RenderText.Inert("a\u001b[31mb\u0007c\u007fd\u009be\u202Ef\u2066g\th").ShouldBe("a␛[31mb␇c␡d[U+009B]e[U+202E]f[U+2066]g h");
    }

    [Fact]
    public void Line_breaks_stay_in_multi_line_text_and_go_on_one_line()
    {
        RenderText.Inert("a\r\nb\rc\nd").ShouldBe("a\nb\nc\nd");
        RenderText.MarkdownLine("one\ntwo\r\nthree").ShouldBe("one two  three");
    }

    [Fact]
    public void Markdown_syntax_is_escaped_so_the_text_reads_back_as_itself()
    {
        RenderText.Markdown("<script>alert(1)</script> [x](y) ![i](j) a|b *em* _u_ `c`")
            .ShouldBe("\\<script\\>alert(1)\\</script\\> \\[x\\](y) !\\[i\\](j) a\\|b \\*em\\* \\_u\\_ \\`c\\`");
    }

    [Fact]
    public void Line_leading_block_markers_are_neutralised()
    {
        RenderText.Markdown("ok\n# h\n  ## h2\n- b\n+ c\n> q\n~~~\n1. one\n23) two\nv1.2 stays")
            .ShouldBe("ok\n\\# h\n  \\## h2\n\\- b\n\\+ c\n\\> q\n\\~~~\n1\\. one\n23\\) two\nv1.2 stays");
    }

    [Fact]
    public void An_entity_reference_is_escaped_and_a_plain_ampersand_is_left_alone()
    {
        RenderText.Markdown("&#x202E; &lt; pipes & stars").ShouldBe("\\&#x202E; \\&lt; pipes & stars");
    }

    [Theory]
    [InlineData("plain", "`plain`")]
    [InlineData("a ``` b", "````a ``` b````")]
    [InlineData("`start", "`` `start ``")]
    [InlineData("new\nline", "`new␊line`")]
    public void A_code_span_fence_is_longer_than_any_backtick_run_inside(string text, string expected)
    {
        RenderText.MarkdownCode(text).ShouldBe(expected);
    }

    [Fact]
    public void Html_escapes_tags_quotes_and_ampersands()
    {
        RenderText.Html("<b a=\"1\" c='2'>&\u001b</b>").ShouldBe("&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;&amp;␛&lt;/b&gt;");
    }

    [Fact]
    public void Json_keeps_its_value_but_writes_controls_and_tags_as_escapes()
    {
        var json = "{\n  \"t\": \"a\u202Eb\u0085c<script>\"\n}";

        var inert = RenderText.InertJson(json);

        inert.ShouldBe("{\n  \"t\": \"a\\u202eb\\u0085c\\u003cscript\\u003e\"\n}");
        System.Text.Json.JsonDocument.Parse(inert).RootElement.GetProperty("t").GetString().ShouldBe("a\u202Eb\u0085c<script>");
    }

    [Fact]
    public void Output_without_controls_is_returned_as_is()
    {
        var text = "# Title\n\nplain text\n";
        RenderText.InertOutput(text).ShouldBeSameAs(text);
    }
}
