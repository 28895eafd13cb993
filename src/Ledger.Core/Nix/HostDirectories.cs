namespace Ledger.Core.Nix;

/// <summary>
/// Host directories the admin configured (<c>$LEDGER_HOME/hosts.json</c>), set once per process
/// before any commit is read. When set they replace the layout found in the repository.
/// </summary>
public static class HostDirectories
{
    public static HostLayout? Configured { get; private set; }

    public static void Configure(HostLayout? layout) => Configured = layout is { IsEmpty: false } ? layout : null;
}
