using Ledger.Core.Text;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Output;

/// <summary>Ledger's log holds command names, counts, paths and errors: never diffs (docs/security.md).</summary>
public sealed class LogContentSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-logs");
    private readonly GitRepo _repo = new();

    public LogContentSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _repo.Dispose();
        _home.Dispose();
    }

    [Fact(Timeout = 120_000)]
    public async Task The_log_holds_no_patch_text_of_a_file_with_a_late_NUL_issue_15()
    {
        // Arrange: a plain change, then one the database used to refuse. Git reads a file as text
        // when its first 8000 bytes hold no NUL, so the patch carried a NUL that jsonb rejects;
        // PostgreSQL's error then quoted the JSON just before it, and so did the logged exception.
        // Now the file is recorded as binary, and the log still holds no patch text.
        var marker = "pX" + Guid.NewGuid().ToString("N")[..10];
        _repo.Write("plain.nix", $"services.{marker}.enable = true;\n");
        _repo.Commit("A plain change");
        _repo.Write("late-nul.nix", new string('#', 9000) + $"\n{marker}\0\n");
        _repo.Commit("A file with a late NUL");
        var cli = new CliRun(_db.ConnectionString, _home.Path, "logs-host");

        // Act
        var import = await cli.RunAsync("import-git", "--repo", _repo.Path);
        var record = await cli.RunAsync("record", "commit", "--repo", _repo.Path);

        // Assert
        import.ExitCode.ShouldBe(0, import.Err);
        var logs = Directory.GetFiles(Path.Combine(_home.Path, "logs"), "*", SearchOption.AllDirectories);
        logs.ShouldNotBeEmpty();
        var text = string.Concat(logs.Select(File.ReadAllText));
        text.ShouldContain("ledger import-git", customMessage: "the log was written");
        text.ShouldNotContain(marker, Case.Insensitive, "the log quotes a patch:\n" + text);
        (import.Out + import.Err + record.Out + record.Err).ShouldNotContain(marker, Case.Insensitive);
    }

    [Fact(Timeout = 120_000)]
    public async Task Control_characters_in_logged_values_are_escaped_issue_15()
    {
        // Arrange: the repository's path is logged; make it hostile.
        var hostile = Path.Combine(_home.Path, "repo\u001b]0;owned\u0007\nFAKE [ERR] line");
        Directory.CreateDirectory(hostile);
        File.WriteAllText(Path.Combine(hostile, "a.nix"), "{ }\n");
        Git(hostile, "init", "-q");
        Git(hostile, "add", "-A");
        Git(hostile, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "One");

        var cli = new CliRun(_db.ConnectionString, _home.Path, "logs-hostile");

        // Act
        var run = await cli.RunAsync("import-git", "--repo", hostile);

        // Assert
        run.ExitCode.ShouldBe(0, run.Err);
        var text = string.Concat(Directory.GetFiles(Path.Combine(_home.Path, "logs")).Select(File.ReadAllText));
        text.Where(c => TerminalText.IsUnsafe(c) && c != '\n').ShouldBeEmpty(text);
        text.ShouldContain(@"repo\e]0;owned\a\nFAKE [ERR] line");
        text.Split('\n').ShouldNotContain(l => l.StartsWith("FAKE", StringComparison.Ordinal));
    }

    private static void Git(string repo, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-C", repo, .. args])
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        var error = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, error);
    }
}
