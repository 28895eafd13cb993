namespace Ledger.Core.Nix;

/// <summary>How the hosts a change touches are said in show, the TUI and the change docs.</summary>
public static class HostText
{
    /// <summary>"web, db", "web + shared (every host)", "shared (every host)"; null when the repository has no host layout.</summary>
    public static string? Touched(IReadOnlyList<string>? hosts, bool? shared)
    {
        if (hosts is null)
        {
            return null;
        }

        var own = string.Join(", ", hosts);
        return shared == true
            ? (own.Length == 0 ? "shared (every host)" : own + " + shared (every host)")
            : (own.Length == 0 ? "none" : own);
    }
}
