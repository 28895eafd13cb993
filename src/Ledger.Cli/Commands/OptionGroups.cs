using System.CommandLine;

namespace Ledger.Cli.Commands;

/// <summary>--repo and --host of the verbs that record what happened to a configuration repository on a host.</summary>
internal sealed record RepoTarget(Option<string> Repo, Option<string?> Host)
{
    /// <param name="repoDescription">What the repository is for in this verb, where the general description says too little.</param>
    public static RepoTarget Create(string? repoDescription = null)
    {
        var repo = CommonOptions.Repo();
        repo.Description = repoDescription ?? repo.Description;
        return new RepoTarget(repo, CommonOptions.RecordHost());
    }

    /// <summary>The host given, else $LEDGER_HOST, else this machine's name.</summary>
    public string HostOf(ParseResult r, CliContext ctx) => r.GetValue(Host) ?? ctx.DefaultHost;
}

/// <summary>--host and --time-zone of the verbs that write about one host's history (docs, import-docs, report).</summary>
internal sealed record HostView(Option<string?> Host, Option<string?> Zone)
{
    public static HostView Create() => new(CommonOptions.ReadHost(), CommonOptions.TimeZone());

    /// <summary>The host (given, else the default host) and its time zone (given, else $LEDGER_TIME_ZONE, else this machine's).</summary>
    public (string Host, TimeZoneInfo Zone) Resolve(ParseResult r, CliContext ctx) => (r.GetValue(Host) ?? ctx.DefaultHost, ctx.ResolveTimeZone(r.GetValue(Zone)));
}
