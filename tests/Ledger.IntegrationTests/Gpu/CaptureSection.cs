namespace Ledger.IntegrationTests.Gpu;

/// <summary>
/// One command's output in an nvidia-smi capture: <see cref="Phase"/> is "capabilities", "idle" or
/// "load"; <see cref="Output"/> is what the command printed, as it printed it.
/// </summary>
public sealed record CaptureSection(string File, string Phase, string Title, string Command, string Output)
{
    public override string ToString() => $"{File} {Phase} :: {Title}";
}
