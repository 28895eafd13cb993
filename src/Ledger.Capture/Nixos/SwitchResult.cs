namespace Ledger.Capture.Nixos;

/// <summary>How a switch (nixos-rebuild or a generation switch) ended; the output tail is already redacted.</summary>
public sealed record SwitchResult(int ExitCode, string OutputTail, TimeSpan Duration, string Command)
{
    public bool Succeeded => ExitCode == 0;
}
