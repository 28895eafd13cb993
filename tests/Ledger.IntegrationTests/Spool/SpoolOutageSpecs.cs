using System.Diagnostics;
using Ledger.App.Daemon;
using Ledger.Capture.Processes;
using Ledger.IntegrationTests.Serve;
using Ledger.IntegrationTests.Support;
using Ledger.Store;
using Ledger.Store.Embedded;
using Npgsql;

namespace Ledger.IntegrationTests.Spool;

/// <summary>
/// Issue 22: the central server stopped while a host commits, then started again. Runs a
/// PostgreSQL of its own (stopped and started for real), commits through the hook that
/// <c>ledger init --hooks</c> installs, with the real git and the real ledger in child processes.
/// </summary>
public sealed class SpoolOutageSpecs : IDisposable
{
    private readonly TempDirectory _server = new("ledger-central");
    private readonly TempDirectory _host = new("ledger-host");
    private readonly GitRepo _repo = new();
    private readonly EmbeddedPostgres _central;

    public SpoolOutageSpecs()
    {
        // The embedded server runs as an unprivileged user when the tests run as root.
        File.SetUnixFileMode(_server.Path, (UnixFileMode)0b111_101_101);
        _central = new EmbeddedPostgres(_server.Path, ProgramRunner.Default);
    }

    public void Dispose()
    {
        _central.StopAsync().GetAwaiter().GetResult();
        _server.Dispose();
        _host.Dispose();
        _repo.Dispose();
    }

    private string Spool => Path.Combine(_host.Path, "spool");

    [Fact(Timeout = 300_000)]
    public async Task Commits_made_while_the_central_server_is_stopped_are_delivered_once_in_order_when_it_is_back_issue_22()
    {
        // Arrange: a host recording into the central server through its installed hook.
        await _central.StartAsync();
        var db = _central.ConnectionString();
        var cli = new CliRun(db, _host.Path, "alpha");
        _repo.Write("configuration.nix", "{ }\n");
        _repo.Commit("Initial");
        (await cli.RunAsync("init", "--repo", _repo.Path, "--hooks", "--daemon", "none", "--host", "alpha")).ExitCode.ShouldBe(0);
        var before = await CommitThroughHookAsync("Before the outage", db);
        before.Exit.ShouldBe(0, before.Stderr);
        before.Stderr.ShouldBeEmpty();

        // Act: the server stops; three commits are made; it starts again; ledger sync.
        await _central.StopAsync();
        var during = new List<(string Sha, int Exit, string Stderr)>();
        foreach (var message in new[] { "Enable jellyfin", "Enable sonarr", "Open port 8096" })
        {
            during.Add(await CommitThroughHookAsync(message, db));
        }

        var spooled = Directory.GetFiles(Spool, "*.json").Order(StringComparer.Ordinal).ToList();
        await _central.StartAsync();
        var sync = await cli.RunAsync("sync");
        var again = await cli.RunAsync("sync");

        // Assert: no commit was blocked or lost, and nothing waited out retries...
        foreach (var (sha, exit, stderr) in during)
        {
            exit.ShouldBe(0, stderr);
            stderr.ShouldContain($"commit {sha[..8]} is kept in the spool ({Spool}, ");
            stderr.ShouldContain("cannot be reached");
            stderr.ShouldContain("'ledger sync'");
            stderr.ShouldNotContain("waiting");
            stderr.ShouldNotContain("not recorded");
        }

        spooled.Count.ShouldBe(3);

        // ...every spooled commit was delivered once, in the order the commits were made...
        sync.ExitCode.ShouldBe(0, sync.Err);
        sync.Out.ShouldContain("Delivered 3 spooled events; the spool");
        again.ExitCode.ShouldBe(0, again.Err);
        again.Out.ShouldContain("is empty; nothing to deliver");
        Directory.GetFiles(Spool, "*.json").ShouldBeEmpty();
        var rows = await CommitRowsAsync(db);
        rows.Select(r => r.Sha).ToList().ShouldBe(new List<string> { before.Sha, during[0].Sha, during[1].Sha, during[2].Sha });

        // ...with the commit's own time, as if it had been recorded then.
        var committed = DateTimeOffset.Parse(_repo.Git("show", "-s", "--format=%cI", during[0].Sha).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        rows[1].Timestamp.ShouldBe(committed);
    }

    [Fact(Timeout = 300_000)]
    public async Task The_daemon_keeps_a_commit_its_hook_posts_while_the_server_is_stopped_and_delivers_it_by_itself_when_it_is_back_issue_22()
    {
        // Arrange: a daemon for this repository whose spool schedule runs every second, and the
        // hook that asks it first (its own fallback could not reach any database).
        await _central.StartAsync();
        var db = _central.ConnectionString();
        await using var store = await LedgerStore.OpenAsync(db);
        var settings = new ServeSettings { Intervals = TestServe.AllOff with { Spool = 1 }, Repo = _repo.Path };
        await using var serve = await TestServe.StartAsync(store, _host.Path, "beta", settings);
        _repo.Write("configuration.nix", "{ }\n");
        _repo.Commit("Initial");
        var init = await new CliRun(db, _host.Path, "beta").RunAsync("init", "--repo", _repo.Path, "--hooks", "--daemon", serve.Url.ToString(), "--host", "beta");
        init.ExitCode.ShouldBe(0, init.Err);

        // Act
        await _central.StopAsync();
        var (sha, exit, stderr) = await CommitThroughHookAsync("Enable jellyfin", "Host=127.0.0.1;Port=1;Timeout=2");
        var whileDown = await serve.Http.GetStringAsync("/metrics");
        await _central.StartAsync();
        var delivered = await WaitForAsync(async () => (await CommitRowsAsync(db)).Count == 1 && !Directory.EnumerateFiles(Spool, "*.json").Any(), TimeSpan.FromSeconds(60));
        var afterwards = await serve.Http.GetStringAsync("/metrics");

        // Assert: the daemon answered for the commit (the hook printed its words and stopped)...
        exit.ShouldBe(0, stderr);
        stderr.ShouldStartWith("ledger: the database at ledger@");
        stderr.ShouldContain($"commit {sha[..8]} is kept in the spool ({Spool}, 1 event)");
        serve.Log.ShouldContain($"Commit {sha} of {_repo.Path} for {Environment.UserName} (hook) spooled");
        whileDown.ShouldContain("ledger_spool_events 1");

        // ...and delivered it by itself once the server was back.
        delivered.ShouldBeTrue(serve.Log);
        (await CommitRowsAsync(db)).ShouldHaveSingleItem().Sha.ShouldBe(sha);
        afterwards.ShouldContain("ledger_spool_events 0");
        afterwards.ShouldContain("ledger_job_runs_total{job=\"spool\",outcome=\"ok\"}");
        serve.Log.ShouldContain("Spool: delivered config_edited");
    }

    /// <summary>Commits a change with the real git, which runs the installed hook with this environment.</summary>
    [Fact(Timeout = 300_000)]
    public async Task A_daemon_started_while_the_server_is_stopped_waits_for_it_and_answers_once_it_is_back_issue_22()
    {
        // Arrange: the schema exists; the server is stopped when the daemon starts.
        await _central.StartAsync();
        await using (await LedgerStore.OpenAsync(_central.ConnectionString()))
        {
        }

        await _central.StopAsync();
        var port = FreePort();
        var every = ServeIntervals.Names.SelectMany(n => new[] { "--every", $"{n}=0" });
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ledger.dll"), "serve", "--listen", $"127.0.0.1:{port}", "--host", "waiting", .. every])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["LEDGER_DB"] = _central.ConnectionString();
        psi.Environment["LEDGER_HOME"] = _host.Path;
        var output = new System.Text.StringBuilder();
        using var daemon = Process.Start(psi)!;
        daemon.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        daemon.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        string Output() { lock (output) { return output.ToString(); } }
        try
        {
            // Act
            var saidSo = await WaitForAsync(() => Task.FromResult(Output().Contains("The database cannot be reached", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
            var aliveWhileDown = !daemon.HasExited;
            await _central.StartAsync();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var healthy = await WaitForAsync(
                async () =>
                {
                    try
                    {
                        return (await http.GetAsync($"http://127.0.0.1:{port}/healthz")).IsSuccessStatusCode;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(60));

            // Assert
            saidSo.ShouldBeTrue(Output());
            aliveWhileDown.ShouldBeTrue(Output());
            healthy.ShouldBeTrue(Output());
        }
        finally
        {
            daemon.Kill(entireProcessTree: true);
            await daemon.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<(string Sha, int Exit, string Stderr)> CommitThroughHookAsync(string message, string ledgerDb)
    {
        _repo.Write("hosts/alpha.nix", $"{{ note = \"{message}\"; }}\n");
        _repo.Git("add", "-A");
        var psi = new ProcessStartInfo("git", ["-C", _repo.Path, "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-q", "-m", message]) { RedirectStandardError = true };
        psi.Environment["LEDGER_DB"] = ledgerDb;
        psi.Environment["LEDGER_HOME"] = _host.Path;
        using var git = Process.Start(psi)!;
        var stderr = await git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync();
        return (_repo.Head(), git.ExitCode, stderr);
    }

    private static async Task<List<(long Seq, string Sha, DateTimeOffset Timestamp)>> CommitRowsAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select seq_id, data->>'sha', timestamp from ledger.mt_events where type = 'config_edited' order by seq_id", conn);
        var rows = new List<(long, string, DateTimeOffset)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return rows;
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> done, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await done())
                {
                    return true;
                }
            }
            catch (NpgsqlException)
            {
                // The server is still starting.
            }

            await Task.Delay(200);
        }

        return false;
    }
}
