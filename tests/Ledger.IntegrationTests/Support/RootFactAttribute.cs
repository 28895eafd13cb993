using Ledger.Store.Embedded;

namespace Ledger.IntegrationTests.Support;

/// <summary>A test that needs root (to mount a filesystem, to give a folder to another user): skipped, and saying why, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute(string why = "to mount a small tmpfs")
    {
        if (!EmbeddedPostgres.IsRoot)
        {
            Skip = $"needs root {why} (CI and the dev containers run as root)";
        }
    }
}
