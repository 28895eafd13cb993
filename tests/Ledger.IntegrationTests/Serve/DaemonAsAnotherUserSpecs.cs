using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Ledger.App.Daemon;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Serve;

/// <summary>
/// Issue 19: on NixOS, /etc/nixos belongs to root while the daemon runs as its own user. The hook's
/// fast path must work there: the daemon, as another user, reads the root-owned repository
/// (libgit2's ownership check is off for reading, see RepositoryAccess) and records the commit.
/// </summary>
public sealed class DaemonAsAnotherUserSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private const string DaemonUser = "nobody";

    private readonly DatabaseFixture _db;
    private readonly TempDirectory _rootHome = new("ledger-root");
    private readonly TempDirectory _daemonHome = new("ledger-nobody");
    private readonly TempDirectory _bin = new("ledger-binary");
    private readonly GitRepo _repo = new();
    private Process? _daemon;

    public DaemonAsAnotherUserSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        if (_daemon is { HasExited: false })
        {
            _daemon.Kill(entireProcessTree: true);
            _daemon.WaitForExit(10_000);
        }

        _daemon?.Dispose();
        _repo.Dispose();
        _bin.Dispose();
        _daemonHome.Dispose();
        _rootHome.Dispose();
    }

    [OtherUserFact]
    public async Task The_daemon_running_as_another_user_records_commits_of_a_root_owned_repository()
    {
        // Arrange: the repository belongs to root (this process); the daemon runs as nobody from a
        // copy of the build that nobody can read, with a LEDGER_HOME of its own.
        _repo.Write("configuration.nix", "{ }\n");
        _repo.Commit("Initial configuration");
        Run("cp", "-a", AppContext.BaseDirectory.TrimEnd('/') + "/.", _bin.Path);
        Run("chmod", "-R", "a+rX", _bin.Path);
        Run("chown", DaemonUser, _daemonHome.Path);
        new FileInfo(Path.Combine(_repo.Path, ".git", "HEAD")).UnixFileMode.HasFlag(UnixFileMode.OtherRead).ShouldBeTrue();
        var host = "twouser-" + Guid.NewGuid().ToString("N")[..8];
        var port = FreePort();
        var every = ServeIntervals.Names.SelectMany(n => new[] { "--every", $"{n}=0" });
        var psi = new ProcessStartInfo("runuser", ["-u", DaemonUser, "--", "env", $"HOME={_daemonHome.Path}", $"DOTNET_CLI_HOME={_daemonHome.Path}", $"LEDGER_HOME={_daemonHome.Path}",
            "dotnet", Path.Combine(_bin.Path, "ledger.dll"), "serve", "--listen", $"127.0.0.1:{port}", "--repo", _repo.Path, "--host", host, "--db", _db.ConnectionString, .. every])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _daemon = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        _daemon.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _daemon.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _daemon.BeginOutputReadLine();
        _daemon.BeginErrorReadLine();
        var url = new Uri($"http://127.0.0.1:{port}/");
        await WaitForHealthAsync(url, _daemon, () => { lock (output) { return output.ToString(); } });
        (await new CliRun(_db.ConnectionString, _rootHome.Path, host).RunAsync("init", "--repo", _repo.Path, "--hooks", "--daemon", url.ToString(), "--host", host)).ExitCode.ShouldBe(0);

        // Act: root commits; the hook's own fallback could not reach any database.
        _repo.Write("jellyfin.nix", "{ services.jellyfin.enable = true; }\n");
        _repo.Git("add", "-A");
        var git = new ProcessStartInfo("git", ["-C", _repo.Path, "-c", "user.name=Root", "-c", "user.email=root@example.org", "commit", "-q", "-m", "Enable jellyfin"]) { RedirectStandardError = true };
        git.Environment["LEDGER_DB"] = "Host=127.0.0.1;Port=1;Timeout=2";
        git.Environment["LEDGER_HOME"] = _rootHome.Path;
        git.Environment["LEDGER_DB_RETRY_SECONDS"] = "0";
        using var commit = Process.Start(git)!;
        var stderr = await commit.StandardError.ReadToEndAsync();
        await commit.WaitForExitAsync();

        // Assert
        commit.ExitCode.ShouldBe(0);
        stderr.ShouldNotContain("not recorded");
        var e = (await _db.Store.TimelineAsync(new TimelineQuery { Host = host, Kinds = ["config-edit"] })).ShouldHaveSingleItem();
        var edit = e.Data.ShouldBeOfType<ConfigEdited>();
        edit.Sha.ShouldBe(_repo.Head());
        edit.Files.ShouldHaveSingleItem().Path.ShouldBe("jellyfin.nix");
        File.GetUnixFileMode(_repo.Path).HasFlag(UnixFileMode.OtherWrite).ShouldBeFalse("the daemon's user could only read the repository");
        Owner(Path.Combine(_daemonHome.Path, "logs")).ShouldBe(DaemonUser, "the daemon ran as " + DaemonUser);
    }

    private static async Task WaitForHealthAsync(Uri url, Process daemon, Func<string> output)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < until && !daemon.HasExited)
        {
            try
            {
                if ((await http.GetAsync("healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException((daemon.HasExited ? $"the daemon exited with {daemon.ExitCode}: " : "the daemon did not answer /healthz within 90 s: ") + output());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Owner(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("stat", ["-c", "%U", path]) { RedirectStandardOutput = true })!;
        var owner = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return owner;
    }

    private static void Run(params string[] args)
    {
        using var p = Process.Start(args[0], args[1..])!;
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, string.Join(' ', args));
    }
}

/// <summary>
/// Needs root (to hand folders to another user) and a test database that other users reach by TCP
/// (LEDGER_TEST_DB, as .ci/run sets it): the embedded test server's socket is only for its owner.
/// </summary>
public sealed class OtherUserFactAttribute : FactAttribute
{
    public OtherUserFactAttribute()
    {
        var db = Environment.GetEnvironmentVariable("LEDGER_TEST_DB");
        if (!Ledger.Store.Embedded.EmbeddedPostgres.IsRoot)
        {
            Skip = "needs root to run the daemon as another user than the repository's owner (CI runs as root)";
        }
        else if (string.IsNullOrWhiteSpace(db) || new Npgsql.NpgsqlConnectionStringBuilder(db).Host is not { Length: > 0 } host || host.StartsWith('/'))
        {
            Skip = "needs LEDGER_TEST_DB with a TCP host, which another user can reach (.ci/run sets it)";
        }
    }
}
