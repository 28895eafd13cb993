using System.Text;

namespace Ledger.Cli.Output;

/// <summary>
/// Colours the status word that starts a check's line (PASS green, FAIL red, ERROR bold red) on a
/// terminal; everything else goes through the inert writer as it is. Only the word Ledger wrote
/// itself is coloured, straight to the terminal: recorded text never carries an escape through.
/// </summary>
internal sealed class StatusColourWriter(TextWriter inert, TextWriter terminal) : TextWriter
{
    private static readonly (string Word, string Colour)[] Words = [("PASS", "32"), ("FAIL", "31"), ("ERROR", "1;31")];

    public override Encoding Encoding => inert.Encoding;

    /// <summary>Whether to colour: a terminal, <c>NO_COLOR</c> unset (no-color.org) and <c>TERM</c> not <c>dumb</c>.</summary>
    public static bool Wanted(CliContext ctx) =>
        ctx.IsTerminal && string.IsNullOrEmpty(ctx.Env("NO_COLOR")) && ctx.Env("TERM") is not "dumb";

    public override void Write(char value) => inert.Write(value);

    public override void Write(string? value) => inert.Write(value);

    public override void WriteLine(string? value)
    {
        foreach (var (word, colour) in Words)
        {
            if (value is not null && value.Length > word.Length && value.StartsWith(word, StringComparison.Ordinal) && value[word.Length] == ' ')
            {
                inert.Flush();
                terminal.Write($"\u001b[{colour}m{word}\u001b[0m");
                terminal.Flush();
                inert.WriteLine(value[word.Length..]);
                return;
            }
        }

        inert.WriteLine(value);
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override void Flush() => inert.Flush();
}
