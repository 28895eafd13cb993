using System.Diagnostics;

namespace Ledger.IntegrationTests.Support;

/// <summary>Read-only git queries on an existing repository, through the git command line.</summary>
public sealed class GitRepoView
{
    private readonly string _path;

    public GitRepoView(string path)
    {
        _path = path;
    }

    public IReadOnlyList<string> RevList() => Git("rev-list", "HEAD").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>git diff-tree -z --numstat of a commit against its first parent (or the empty tree).</summary>
    public string Numstat(string sha)
    {
        var parents = Git("rev-list", "--parents", "-n", "1", sha).Trim().Split(' ');
        return parents.Length > 1
            ? Git("diff-tree", "-r", "-M", "--numstat", "-z", "--no-commit-id", parents[1], sha)
            : Git("diff-tree", "-r", "-M", "--numstat", "-z", "--no-commit-id", "--root", sha);
    }

    public string Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _path };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? stdout.Result : throw new InvalidOperationException($"git {string.Join(' ', args)}: {stderr}");
    }
}
