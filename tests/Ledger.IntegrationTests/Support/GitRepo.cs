using System.Diagnostics;
using System.Globalization;

namespace Ledger.IntegrationTests.Support;

/// <summary>A real git repository in a temporary folder, driven through the git command line.</summary>
public sealed class GitRepo : IDisposable
{
    private static readonly string[] Identity = ["-c", "user.name=Test Admin", "-c", "user.email=admin@example.org", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"];

    private readonly TempDirectory _dir = new("ledger-repo");
    private DateTimeOffset _clock = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public GitRepo()
    {
        Git("init", "-q", "-b", "main");
    }

    public string Path => _dir.Path;

    public void Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    public void WriteBytes(string relative, byte[] content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
    }

    public void Delete(string relative) => File.Delete(System.IO.Path.Combine(Path, relative));

    /// <summary>Stages everything and commits with a clock that advances one hour per commit (or at <paramref name="at"/>). Returns the sha.</summary>
    public string Commit(string message, bool allowEmpty = false, DateTimeOffset? at = null)
    {
        Git("add", "-A");
        _clock = at ?? _clock.AddHours(1);
        var args = new List<string> { "commit", "-q", "-m", message };
        if (allowEmpty)
        {
            args.Add("--allow-empty");
        }

        Git([.. args]);
        return Head();
    }

    public string Head() => Git("rev-parse", "HEAD").Trim();

    public DateTimeOffset LastCommitTime => _clock;

    /// <summary>Runs git in the repository with a fixed identity and the repository's clock; returns stdout.</summary>
    public string Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path };
        foreach (var a in Identity.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        var when = _clock.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        psi.Environment["GIT_AUTHOR_DATE"] = when;
        psi.Environment["GIT_COMMITTER_DATE"] = when;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}");
        }

        return stdout.Result;
    }

    public void Dispose() => _dir.Dispose();
}
