using Ledger.Capture.Processes;

namespace Ledger.IntegrationTests.Projections;

/// <summary>A fact that looks at a page in headless Chromium; skipped, saying why, where it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public static string? Binary { get; } = ProgramLocator.Find("chromium");

    public ChromiumFactAttribute()
    {
        if (Binary is null)
        {
            Skip = "chromium is not on PATH (CI installs Debian's chromium; here: apt-get install chromium)";
        }
    }
}
