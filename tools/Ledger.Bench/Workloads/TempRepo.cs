using System.Text;
using Ledger.Capture.Processes;
using Ledger.Core.Errors;
using Ledger.Core.Processes;

namespace Ledger.Bench.Workloads;

/// <summary>A git repository in a throwaway folder, committed to with the real git.</summary>
internal sealed class TempRepo : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _git = ProgramLocator.Find("git") ?? throw new LedgerException("The benchmark needs git on PATH.", ExitCodes.UsageOrEnvironment);
    private int _n;

    public TempRepo()
    {
        Git("init", "-q", "-b", "main");
    }

    public string Path => _dir.Path;

    public void Commit(string message)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, "configuration.nix"), $"{{ ... }}: {{\n  services.jellyfin.enable = true;\n  # revision {++_n}\n}}\n", Encoding.UTF8);
        Git("add", "-A");
        // The bench runs the post-commit hook itself, timed: git must not run it too.
        Git("-c", "core.hooksPath=/dev/null", "-c", "user.name=Bench", "-c", "user.email=bench@example.org", "commit", "-q", "-m", message);
    }

    public void Dispose() => _dir.Dispose();

    private void Git(params string[] args)
    {
        var result = ProgramRunner.Default.Run(new ProgramCall(_git, ["-C", Path, .. args]));
        if (result.ExitCode != 0)
        {
            throw new LedgerException($"git {string.Join(' ', args)} failed in {Path}: {result.StandardError.Trim()}");
        }
    }
}
