using System.Diagnostics;
using Ledger.App.Daemon;
using Ledger.Cli.Serve;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Serve;

/// <summary>
/// The git hook's fast path (issue 10): the hook <c>ledger init --hooks</c> installs asks the
/// running daemon to record the commit (<c>POST /record/commit</c>), and runs the ledger command
/// itself whenever the daemon does not answer for that commit.
/// </summary>
public sealed class HookDaemonSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-hookd");
    private readonly GitRepo _repo = new();

    public HookDaemonSpecs(DatabaseFixture db)
    {
        _db = db;
        _repo.Write("a.nix", "{ }\n");
        _repo.Commit("Initial configuration");
    }

    public void Dispose()
    {
        _repo.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task The_installed_hook_has_the_daemon_record_the_commit()
    {
        // Arrange: a daemon following this repository; the hook's own fallback could not reach any database.
        var host = "hookd-" + Guid.NewGuid().ToString("N")[..8];
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, host, new ServeSettings { Intervals = TestServe.AllOff, Repo = _repo.Path });
        await InstallHookAsync(host, serve.Url.ToString());

        // Act
        var (exit, stderr) = await CommitThroughGitAsync("Enable jellyfin", "Host=127.0.0.1;Port=1;Timeout=2");

        // Assert
        exit.ShouldBe(0);
        stderr.ShouldNotContain("not recorded");
        var sha = _repo.Head();
        var e = (await _db.Store.TimelineAsync(new TimelineQuery { Host = host, Kinds = ["config-edit"] })).ShouldHaveSingleItem();
        var edit = e.Data.ShouldBeOfType<ConfigEdited>();
        edit.Sha.ShouldBe(sha);
        edit.Purpose.ShouldBe("Enable jellyfin");
        edit.Actor.ShouldBe(Environment.UserName);
        edit.Files.ShouldHaveSingleItem().Path.ShouldBe("b.nix");
        serve.Log.ShouldContain($"Recorded commit {sha}");
    }

    [Fact]
    public async Task Without_a_daemon_for_its_host_the_hook_records_through_the_ledger_command()
    {
        // Arrange: the daemon records for another host, so it refuses (409) and the hook falls back.
        var host = "hookf-" + Guid.NewGuid().ToString("N")[..8];
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "someone-else", new ServeSettings { Intervals = TestServe.AllOff, Repo = _repo.Path });
        await InstallHookAsync(host, serve.Url.ToString());

        // Act
        var (exit, stderr) = await CommitThroughGitAsync("Add sonarr", _db.ConnectionString);

        // Assert
        exit.ShouldBe(0, stderr);
        var e = (await _db.Store.TimelineAsync(new TimelineQuery { Host = host, Kinds = ["config-edit"] })).ShouldHaveSingleItem();
        e.Data.ShouldBeOfType<ConfigEdited>().Sha.ShouldBe(_repo.Head());
        serve.Log.ShouldNotContain("Recorded commit");
    }

    [Fact]
    public async Task The_endpoint_records_only_real_commits_of_its_own_repository_and_host_and_each_once()
    {
        var host = "hooke-" + Guid.NewGuid().ToString("N")[..8];
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, host, new ServeSettings { Intervals = TestServe.AllOff, Repo = _repo.Path });
        var sha = _repo.Head();
        using var other = new GitRepo();

        async Task<(int Status, string Body)> PostAsync(string repo, string commit, string forHost, string user = "alice")
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["repo"] = repo, ["sha"] = commit, ["host"] = forHost, ["user"] = user });
            using var response = await serve.Http.PostAsync(CommitEndpoint.Path, form);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        (await PostAsync(_repo.Path, "HEAD", host)).Status.ShouldBe(400);
        (await PostAsync(_repo.Path, sha, "another-host")).Status.ShouldBe(409);
        (await PostAsync(other.Path, sha, host)).Status.ShouldBe(409);
        (await PostAsync(_repo.Path, new string('0', 40), host)).Status.ShouldBe(404);
        (await PostAsync(_repo.Path, sha, host, "alice\u001b[2J")).Status.ShouldBe(400);
        (await PostAsync(_repo.Path, sha, host, new string('a', 65))).Status.ShouldBe(400);
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = host })).ShouldBeEmpty();

        var first = await PostAsync(_repo.Path + "/", sha, host);
        first.Status.ShouldBe(200);
        first.Body.ShouldStartWith($"recorded {sha} #");
        var again = await PostAsync(_repo.Path, sha, host);
        again.Body.ShouldStartWith($"known {sha} #");
        var e = (await _db.Store.TimelineAsync(new TimelineQuery { Host = host, Kinds = ["config-edit"] })).ShouldHaveSingleItem();
        first.Body.ShouldContain($"#{e.Seq} ");
        again.Body.Trim().ShouldEndWith($"#{e.Seq}");
        e.Data.ShouldBeOfType<ConfigEdited>().Actor.ShouldBe("alice");
    }

    private async Task InstallHookAsync(string host, string daemon)
    {
        var run = await new CliRun(_db.ConnectionString, _home.Path, host).RunAsync("init", "--repo", _repo.Path, "--hooks", "--daemon", daemon, "--host", host);
        run.ExitCode.ShouldBe(0, run.Err);
    }

    /// <summary>Commits b.nix with the real git, which runs the installed hook with this environment.</summary>
    private async Task<(int Exit, string Stderr)> CommitThroughGitAsync(string message, string ledgerDb)
    {
        _repo.Write("b.nix", "{ services.x.enable = true; }\n");
        _repo.Git("add", "-A");
        var psi = new ProcessStartInfo("git", ["-C", _repo.Path, "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-q", "-m", message]) { RedirectStandardError = true };
        psi.Environment["LEDGER_DB"] = ledgerDb;
        psi.Environment["LEDGER_HOME"] = _home.Path;
        psi.Environment["LEDGER_DB_RETRY_SECONDS"] = "0";
        using var git = Process.Start(psi)!;
        var stderr = await git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync();
        return (git.ExitCode, stderr);
    }
}
