namespace Ledger.IntegrationTests.Projections;

/// <summary>
/// Text an attacker (or a careless paste) can put in a commit message, an annotation or an alert:
/// terminal escape sequences, bidi overrides, Markdown and HTML injection. Issue 7.
/// </summary>
internal static class HostileText
{
    public const string ClearScreen = "Clear \u001b[2J\u001b[H the screen and \u001b]0;pwned\u0007 retitle the window";
    public const string Osc8Link = "See \u001b]8;;https://evil.example/\u001b\\the docs\u001b]8;;\u001b\\ here";
    public const string C1Csi = "Colour \u009b31m red \u0085 next-line \u0090 DCS";
    public const string Bidi = "Invoice \u202Egpj.exe and \u2066isolate\u2069 text";
    public const string Bell = "Ding\u0007\u0007 and a DEL\u007f and a backspace\u0008";
    public const string Script = "<script>alert('x')</script> and <img src=x onerror=alert(1)>";
    public const string Links = "[click me](javascript:alert(1)) and ![tracker](http://evil.example/x.png)";
    public const string Entities = "Entities &#x202E; &#27;[31m &lt;script&gt;";
    public const string Pipes = "a | b | c";
    public const string Backticks = "run ``` and ```` inside";

    /// <summary>Multi-line text whose later lines try to add structure to a doc.</summary>
    public const string Structure = "Harmless first line\n# A heading\n## Another\n1. ordered\n- bullet\n> quote\n~~~\nfenced\n~~~\n```\nfence\n```\n| x | y |\n| --- | --- |";

    public static readonly string[] All = [ClearScreen, Osc8Link, C1Csi, Bidi, Bell, Script, Links, Entities, Pipes, Backticks, Structure];

    /// <summary>Control characters that must not reach a rendered file.</summary>
    public static bool IsForbidden(char c) => c != '\n' && Ledger.Core.Text.TerminalText.IsUnsafe(c);
}
