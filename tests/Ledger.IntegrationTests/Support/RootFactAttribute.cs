using Ledger.Store.Embedded;

namespace Ledger.IntegrationTests.Support;

/// <summary>A test that needs root (it mounts a filesystem): skipped, and saying why, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!EmbeddedPostgres.IsRoot)
        {
            Skip = "needs root to mount a small tmpfs (CI and the dev containers run as root)";
        }
    }
}
