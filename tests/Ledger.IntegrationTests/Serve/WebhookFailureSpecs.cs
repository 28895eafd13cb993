using System.Net;
using Ledger.App.Daemon;
using Ledger.Cli.Serve;
using Ledger.Core.Text;
using Ledger.IntegrationTests.Support;
using Ledger.Store;
using Npgsql;

namespace Ledger.IntegrationTests.Serve;

/// <summary>The webhook when things go wrong: every answer counted in the metrics, and a log that hostile alert text cannot drive or forge.</summary>
public sealed class WebhookFailureSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-serve-fail");

    public WebhookFailureSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose() => _home.Dispose();

    [Fact(Timeout = 60_000)]
    public async Task A_webhook_request_that_fails_with_500_is_counted_in_the_metrics_issue_15()
    {
        // Arrange: a database of its own whose event table refuses every insert with an error
        // that is neither transient nor a lost connection (a 503): an unexpected one.
        await using var db = await ScratchDatabase.CreateAsync(await TestPostgres.ServerConnectionStringAsync(), "fail");
        await using var store = await LedgerStore.OpenAsync(db.ConnectionString);
        await ExecuteAsync(db.ConnectionString, $"""
            create function {MartenConfig.Schema}.refuse_for_test() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$;
            create trigger refuse_for_test before insert on {MartenConfig.Schema}.mt_events for each row execute function {MartenConfig.Schema}.refuse_for_test();
            """);
        await using var serve = await TestServe.StartAsync(store, _home.Path, "fail-host");

        // Act
        var response = await serve.PostAlertsAsync(AlertBodies.Firing("Refused", "fa11000000000001"));
        var body = await response.Content.ReadAsStringAsync();
        var metrics = await serve.Http.GetStringAsync("/metrics");

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError, body);
        metrics.ShouldContain("ledger_webhook_requests_total{code=\"500\"} 1", customMessage: metrics);
        serve.Log.ShouldContain("Webhook: unexpected error");
        serve.Log.ShouldContain("refused by the test");
    }

    [Fact(Timeout = 60_000)]
    public async Task Escape_sequences_and_line_breaks_in_an_alert_name_are_escaped_in_the_daemons_log_issue_15()
    {
        // Arrange: as JSON escapes in the body, so the alert name holds the raw characters.
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "log-host");
        var name = @"Gpu\u001b[2J\u001b]8;;http://x\u001b\\hot\u0007\u202E\n2026-01-01 [ERR] forged";

        // Act
        var response = await serve.PostAlertsAsync(AlertBodies.Firing(name, "e5c0000000000001"));

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var log = serve.Log;
        log.Where(c => TerminalText.IsUnsafe(c) && c != '\n').ShouldBeEmpty(log);
        log.ShouldContain(@"Gpu\e[2J\e]8;;http://x\e\hot\a\u202E\n2026-01-01 [ERR] forged");
        log.Split('\n').ShouldNotContain(l => l.StartsWith("2026-01-01 [ERR]", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task Under_journald_a_line_break_in_an_alert_name_cannot_forge_a_priority_line_issue_15()
    {
        // Arrange
        var env = new Dictionary<string, string?> { ["JOURNAL_STREAM"] = "8:12345" };
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "journal-host", env: env);

        // Act
        var response = await serve.PostAlertsAsync(AlertBodies.Firing(@"Disk\n<0>forged emergency", "e5c0000000000002"));

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        serve.Log.ShouldContain(@"Disk\n<0>forged emergency");
        serve.Log.Split('\n').ShouldNotContain(l => l.StartsWith("<0>", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_hooks_endpoint_answers_with_the_purpose_made_inert_issue_15()
    {
        // Arrange
        using var repo = new GitRepo();
        repo.Write("a.nix", "{ }\n");
        var sha = repo.Commit("Purpose \u001b]8;;http://x\u001b\\click\u0007 \u202Eevil");
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "hook-inert", new ServeSettings { Intervals = TestServe.AllOff, Repo = repo.Path });
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["repo"] = repo.Path, ["sha"] = sha, ["host"] = "hook-inert", ["user"] = "alice" });

        // Act
        using var response = await serve.Http.PostAsync(CommitEndpoint.Path, form);
        var body = await response.Content.ReadAsStringAsync();

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        body.ShouldEndWith(@"Purpose \e]8;;http://x\e\click\a \u202Eevil" + "\n");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
