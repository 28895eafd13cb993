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

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of text" };
}
