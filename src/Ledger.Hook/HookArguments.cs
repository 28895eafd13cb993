namespace Ledger.Hook;

/// <summary>
/// The command line of <c>ledger record commit</c> as the git hook writes it:
/// <c>record commit [REV] [--repo PATH] [--host NAME] [--purpose TEXT] [--notes TEXT] [--db CS]</c>.
/// Anything else (another verb, --help, --verbose, an option written as <c>--x=y</c>, an option
/// twice) is not parsed here: the full ledger reads it, with its own help and errors.
/// </summary>
internal sealed record HookArguments(string Revision, string Repo, string? Host, string? Purpose, string? Notes, string? Db)
{
    private static readonly string[] Valued = ["--repo", "-r", "--host", "--purpose", "--notes", "--db"];

    /// <summary>The arguments, or null when they are for the full ledger.</summary>
    public static HookArguments? Parse(IReadOnlyList<string> args)
    {
        if (args.Count < 2 || args[0] != "record" || args[1] != "commit")
        {
            return null;
        }

        string? revision = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 2; i < args.Count; i++)
        {
            var arg = args[i];
            if (Valued.Contains(arg, StringComparer.Ordinal))
            {
                var name = arg == "-r" ? "--repo" : arg;
                if (i + 1 >= args.Count || args[i + 1].StartsWith('-') || !values.TryAdd(name, args[i + 1]))
                {
                    return null;
                }

                i++;
            }
            else if (arg.StartsWith('-') || revision is not null)
            {
                return null;
            }
            else
            {
                revision = arg;
            }
        }

        string? Value(string name) => values.GetValueOrDefault(name);
        return new HookArguments(revision ?? "HEAD", Value("--repo") ?? "/etc/nixos", Value("--host"), Value("--purpose"), Value("--notes"), Value("--db"));
    }
}
