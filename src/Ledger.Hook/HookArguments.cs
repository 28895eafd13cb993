namespace Ledger.Hook;

/// <summary>
/// The two command lines ledger-hook reads itself: <c>ledger record commit</c> as the git hook
/// writes it, <c>record commit [REV] [--repo PATH] [--host NAME] [--purpose TEXT] [--notes TEXT] [--db CS]</c>,
/// and a plain import, <c>import-git [--repo PATH] [--host NAME] [--db CS]</c>; --db may also come
/// before the verb, as ledger allows. Anything else
/// (another verb, --help, --verbose, --rederive, an option written as <c>--x=y</c>, an option
/// twice) is not parsed here: the full ledger reads it, with its own help and errors.
/// </summary>
internal sealed record HookArguments(bool Import, string Revision, string Repo, string? Host, string? Purpose, string? Notes, string? Db)
{
    private static readonly string[] CommitOptions = ["--repo", "-r", "--host", "--purpose", "--notes", "--db"];
    private static readonly string[] ImportOptions = ["--repo", "-r", "--host", "--db"];

    /// <summary>The arguments, or null when they are for the full ledger.</summary>
    public static HookArguments? Parse(IReadOnlyList<string> args)
    {
        if (args.Count >= 2 && args[0] == "--db")
        {
            // `ledger --db CS import-git ...`: the root's option before the verb.
            args = [.. args.Skip(2), args[0], args[1]];
        }

        var import = args.Count >= 1 && args[0] == "import-git";
        if (!import && (args.Count < 2 || args[0] != "record" || args[1] != "commit"))
        {
            return null;
        }

        var valued = import ? ImportOptions : CommitOptions;
        string? revision = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = import ? 1 : 2; i < args.Count; i++)
        {
            var arg = args[i];
            if (valued.Contains(arg, StringComparer.Ordinal))
            {
                var name = arg == "-r" ? "--repo" : arg;
                if (i + 1 >= args.Count || args[i + 1].StartsWith('-') || !values.TryAdd(name, args[i + 1]))
                {
                    return null;
                }

                i++;
            }
            else if (arg.StartsWith('-') || revision is not null || import)
            {
                return null;
            }
            else
            {
                revision = arg;
            }
        }

        string? Value(string name) => values.GetValueOrDefault(name);
        return new HookArguments(import, revision ?? "HEAD", Value("--repo") ?? "/etc/nixos", Value("--host"), Value("--purpose"), Value("--notes"), Value("--db"));
    }
}
