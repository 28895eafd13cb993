using Ledger.Core.Events;
using Ledger.IntegrationTests.Support;
using Ledger.Store;
using Npgsql;

namespace Ledger.IntegrationTests.Integrity;

/// <summary>The append-only store, tested by trying: as the application role and as the owner.</summary>
public sealed class AppendOnlySpecs : IAsyncLifetime
{
    private const string AppPassword = "app-role-password";

    private readonly ChainLedger _ledger = new();
    private readonly string _appRole = $"ledger_app_{Guid.NewGuid():N}"[..24];

    private string AppConnectionString =>
        new NpgsqlConnectionStringBuilder(_ledger.ConnectionString) { Username = _appRole, Password = AppPassword }.ConnectionString;

    public async Task InitializeAsync()
    {
        await _ledger.InitializeAsync();
        await _ledger.ExecuteAsync($"create role {_appRole} login password '{AppPassword}'");
    }

    public async Task DisposeAsync()
    {
        await _ledger.DisposeAsync();
        await using var conn = new NpgsqlConnection(await TestPostgres.ServerConnectionStringAsync());
        await conn.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop role if exists {_appRole}", conn);
        await drop.ExecuteNonQueryAsync();
    }

    [Theory]
    [InlineData("update ledger.mt_events set data = '{}' where seq_id = 1")]
    [InlineData("delete from ledger.mt_events where seq_id = 1")]
    [InlineData("truncate ledger.mt_events cascade")]
    [InlineData("update ledger.ledger_chain set hash = sha256('x') where seq = 1")]
    [InlineData("delete from ledger.ledger_chain where seq = 1")]
    [InlineData("truncate ledger.ledger_chain")]
    [InlineData("delete from ledger.mt_streams")]
    [InlineData("alter table ledger.mt_events disable trigger ledger_append_only")]
    public async Task The_application_role_cannot_change_history(string sql)
    {
        await _ledger.AppendAsync(3);
        await _ledger.Store.Chain.SealAsync();
        (await _ledger.Cli.RunAsync("init", "--db-guards", "--app-role", _appRole)).ExitCode.ShouldBe(0);

        var e = await Should.ThrowAsync<PostgresException>(() => _ledger.ExecuteAsync(sql, AppConnectionString));

        e.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await _ledger.ScalarAsync("select count(*) from ledger.mt_events")).ShouldBe(3);
        (await _ledger.Store.Chain.VerifyAsync()).Intact.ShouldBeTrue();
    }

    [Fact]
    public async Task The_application_role_appends_seals_and_verifies_as_usual()
    {
        await _ledger.AppendAsync(2);
        var init = await _ledger.Cli.RunAsync("init", "--db-guards", "--app-role", _appRole);

        await using (var app = await LedgerStore.OpenAsync(AppConnectionString))
        {
            await app.AppendAsync(new NewEvent(StreamKeys.Repository("media01", "/etc/nixos"), new RepositoryRegistered("media01", "app", "/etc/nixos", "main", false)));
            await app.AppendAsync(new NewEvent(StreamKeys.Repository("media01", "/etc/nixos"), new RepositoryRegistered("media01", "app", "/etc/nixos", "main", true)));
            await app.StartStreamsAsync([new NewEvent(StreamKeys.Repository("media01", "/srv/x"), new RepositoryRegistered("media01", "app", "/srv/x", "main", false))]);
        }

        var appCli = new CliRun(AppConnectionString, _ledger.Home, "media01");
        var seal = await appCli.RunAsync("seal");
        var verify = await appCli.RunAsync("verify");

        init.ExitCode.ShouldBe(0, init.Err);
        init.Out.ShouldContain("mt_events: ledger_append_only (enabled always)");
        init.Out.ShouldContain("ledger_chain: ledger_append_only_truncate (enabled always)");
        init.Out.ShouldContain($"Role '{_appRole}' may read and append events and chain rows; UPDATE, DELETE and TRUNCATE are revoked.");
        init.Out.ShouldContain("owns the tables (or is a superuser) and could disable the triggers");
        seal.ExitCode.ShouldBe(0, seal.Err);
        seal.Out.ShouldContain("Sealed 5 events");
        verify.ExitCode.ShouldBe(0, verify.Out);
    }

    [Theory]
    [InlineData("delete from ledger.event_text where seq_id = 2")]
    [InlineData("update ledger.event_text set body = 'nothing to find' where seq_id = 2")]
    [InlineData("truncate ledger.event_text")]
    [InlineData("insert into ledger.event_text (seq_id, body) values (1000, 'planted before the event')")]
    [InlineData("insert into ledger.event_text (seq_id, body) values (4, 'made-up text for the waiting event')")]
    [InlineData("update ledger.text_index_state set indexed_upto = 0")]
    [InlineData("update ledger.text_index_state set indexed_upto = 1000")]
    [InlineData("update ledger.text_index_state set indexed_upto = indexed_upto + 1")]
    [InlineData("delete from ledger.text_index_state")]
    [InlineData("alter table ledger.event_text disable trigger ledger_append_only")]
    public async Task The_application_role_cannot_hide_events_from_search_issue_15(string sql)
    {
        // Arrange: three events indexed, a fourth waiting for the index.
        await _ledger.AppendAsync(3);
        await _ledger.Store.CatchUpTextIndexAsync();
        await _ledger.AppendAsync(1);
        await _ledger.Store.Chain.SealAsync();
        (await _ledger.Cli.RunAsync("init", "--db-guards", "--app-role", _appRole)).ExitCode.ShouldBe(0);

        // Act
        var e = await Should.ThrowAsync<PostgresException>(() => _ledger.ExecuteAsync(sql, AppConnectionString));

        // Assert
        e.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await _ledger.ScalarAsync("select count(*) from ledger.event_text")).ShouldBe(3);
        (await _ledger.ScalarAsync("select indexed_upto from ledger.text_index_state")).ShouldBe(3);
        (await _ledger.Store.Chain.VerifyAsync()).Intact.ShouldBeTrue();
    }

    [Fact]
    public async Task The_application_role_indexes_new_events_for_search_as_usual_issue_15()
    {
        await _ledger.AppendAsync(2);
        var init = await _ledger.Cli.RunAsync("init", "--db-guards", "--app-role", _appRole);
        await using var app = await LedgerStore.OpenAsync(AppConnectionString);
        await app.AppendAsync(new NewEvent(StreamKeys.Repository("media01", "/etc/nixos"), new RepositoryRegistered("media01", "app", "/etc/nixos", "main", false)));

        var indexed = await app.CatchUpTextIndexAsync();

        init.ExitCode.ShouldBe(0, init.Err);
        init.Out.ShouldContain("event_text: ledger_append_only (enabled always)");
        init.Out.ShouldContain("text_index_state: ledger_text_watermark (enabled always)");
        indexed.ShouldBe(3);
        (await app.TextIndexBacklogAsync()).ShouldBe(0);
        (await app.TimelineAsync(new Ledger.Core.Timeline.TimelineQuery { Grep = "/etc/nixos" })).ShouldHaveSingleItem();
        (await app.Chain.VerifyAsync()).Intact.ShouldBeTrue();
    }

    [Theory]
    [InlineData("update ledger.mt_events set data = '{}' where seq_id = 1", "UPDATE on ledger.mt_events refused")]
    [InlineData("delete from ledger.mt_events where seq_id = 1", "DELETE on ledger.mt_events refused")]
    [InlineData("truncate ledger.mt_events cascade", "TRUNCATE on ledger.mt_events refused")]
    [InlineData("delete from ledger.mt_streams", "DELETE on ledger.mt_events refused")]
    [InlineData("update ledger.ledger_chain set sealed_at = now()", "UPDATE on ledger.ledger_chain refused")]
    [InlineData("set session_replication_role = replica; delete from ledger.ledger_chain", "DELETE on ledger.ledger_chain refused")]
    public async Task Even_the_owner_is_stopped_by_the_triggers_unless_it_switches_them_off(string sql, string message)
    {
        await _ledger.AppendAsync(2);
        await _ledger.Store.Chain.SealAsync();

        var e = await Should.ThrowAsync<PostgresException>(() => _ledger.ExecuteAsync(sql));

        e.MessageText.ShouldContain(message);
        e.MessageText.ShouldContain("append-only");
    }

    [Fact]
    public async Task Db_guards_without_a_repository_only_sets_up_the_database()
    {
        var run = await _ledger.Cli.RunAsync("init", "--db-guards");

        run.ExitCode.ShouldBe(0, run.Err);
        run.Out.ShouldContain("Append-only guards on");
        run.Out.ShouldContain("connect Ledger as a separate role set up with --app-role ROLE");
        (await _ledger.ScalarAsync("select count(*) from ledger.mt_events")).ShouldBe(0);
    }

    [Fact]
    public async Task A_superuser_is_refused_as_the_application_role()
    {
        var owner = new NpgsqlConnectionStringBuilder(_ledger.ConnectionString).Username!;

        var run = await _ledger.Cli.RunAsync("init", "--db-guards", "--app-role", owner);
        var unknown = await _ledger.Cli.RunAsync("init", "--db-guards", "--app-role", "no_such_role_here");

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("must be a plain role");
        unknown.ExitCode.ShouldBe(2);
        unknown.Err.ShouldContain("There is no role 'no_such_role_here'");
    }

    [Fact]
    public async Task Only_the_owner_can_set_up_the_guards()
    {
        (await _ledger.Cli.RunAsync("init", "--db-guards", "--app-role", _appRole)).ExitCode.ShouldBe(0);

        var run = await new CliRun(AppConnectionString, _ledger.Home).RunAsync("init", "--db-guards");

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("does not own the ledger tables");
    }

    [Fact]
    public async Task The_application_role_facing_a_schema_upgrade_is_told_to_run_init_as_the_owner()
    {
        (await _ledger.Cli.RunAsync("init", "--db-guards", "--app-role", _appRole)).ExitCode.ShouldBe(0);
        await _ledger.ExecuteAsync("update ledger.ledger_meta set schema_version = 2");

        var run = await new CliRun(AppConnectionString, _ledger.Home).RunAsync("verify");

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("only the owner of the database can do");
        run.Err.ShouldContain("ledger init --db-guards");
    }

    [Fact]
    public async Task App_role_without_db_guards_is_a_usage_error()
    {
        var run = await _ledger.Cli.RunAsync("init", "--app-role", _appRole);

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("--app-role goes with --db-guards");
    }
}
