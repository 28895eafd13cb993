using System.CommandLine;

namespace Ledger.Cli.Commands;

/// <summary>Options several verbs share, built fresh for each command.</summary>
internal static class CommonOptions
{
    public static Option<string> Repo() => new("--repo", "-r")
    {
        Description = "Path of the NixOS configuration git repository",
        DefaultValueFactory = _ => "/etc/nixos",
    };

    public static Option<string?> RecordHost() => new("--host")
    {
        Description = "Host the events are about (default: $LEDGER_HOST, else this machine's name)",
    };

    public static Option<string?> ReadHost() => new("--host")
    {
        Description = "The host to write about (default: $LEDGER_HOST, else this machine's name)",
    };

    public static Option<string?> Templates() => new("--templates")
    {
        Description = "Folder with Liquid templates to use in place of the built-in ones (same file names as in projections/)",
    };

    public static Option<string?> TimeZone() => new("--time-zone")
    {
        Description = "The host's time zone for dates and month boundaries, e.g. Europe/Berlin (default: $LEDGER_TIME_ZONE, else this machine's)",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of text" };
}
