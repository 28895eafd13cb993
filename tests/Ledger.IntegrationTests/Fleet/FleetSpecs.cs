using Ledger.Core.Events;
using Ledger.IntegrationTests.Support;
using Ledger.Store;
using Ledger.Store.Fleet;
using Npgsql;

namespace Ledger.IntegrationTests.Fleet;

/// <summary>One central server for the fleet tests: TCP on 127.0.0.1, TLS, SCRAM (issue 22).</summary>
public sealed class CentralServer : IAsyncLifetime
{
    private ScramPostgres? _pg;

    public ScramPostgres Pg => _pg ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _pg = await ScramPostgres.StartAsync();

        // The owner creates the schema.
        await using var store = await LedgerStore.OpenAsync(_pg.OwnerConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_pg is not null)
        {
            await _pg.DisposeAsync();
        }
    }
}

/// <summary>
/// Issue 22: hosts on one central PostgreSQL, each with a role from <c>ledger fleet add-host</c>
/// that may append only its own events, enforced by the database: through the CLI, through raw SQL,
/// and with several hosts writing at once.
/// </summary>
public sealed class FleetSpecs(CentralServer central) : IClassFixture<CentralServer>, IDisposable
{
    private readonly TempDirectory _home = new("ledger-fleet");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task A_host_records_its_own_commits_but_neither_the_CLI_nor_raw_SQL_can_store_an_event_about_another_host()
    {
        // Arrange: alpha's string in a file, beta's as JSON.
        var alphaFile = Path.Combine(_home.Path, "alpha.db");
        var addAlpha = await Owner().RunAsync("fleet", "add-host", "alpha", "--out", alphaFile, "--root-cert", central.Pg.Certificate);
        var addBeta = await Owner().RunAsync("fleet", "add-host", "beta", "--json", "--root-cert", central.Pg.Certificate);
        addAlpha.ExitCode.ShouldBe(0, addAlpha.Err);
        addBeta.ExitCode.ShouldBe(0, addBeta.Err);
        addAlpha.Out.ShouldNotContain("Password=", Case.Insensitive, "with --out the password goes only to the file");
        File.GetUnixFileMode(alphaFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var alphaDb = (await File.ReadAllTextAsync(alphaFile)).Trim();
        var b = new NpgsqlConnectionStringBuilder(alphaDb);
        (b.Username, b.SslMode, b.Host, b.Port).ShouldBe(("ledger_host_alpha", SslMode.VerifyFull, "127.0.0.1", central.Pg.Port));
        using var beta = System.Text.Json.JsonDocument.Parse(addBeta.Out);
        beta.RootElement.GetProperty("role").GetString().ShouldBe("ledger_host_beta");

        using var repo = new GitRepo();
        repo.Write("configuration.nix", "{ }\n");
        repo.Commit("first");
        var alpha = new CliRun(alphaDb, _home.Path, host: "alpha");

        // Act: alpha records its history, then tries a commit for beta.
        var import = await alpha.RunAsync("import-git", "--repo", repo.Path);
        repo.Write("configuration.nix", "{ services.jellyfin.enable = true; }\n");
        repo.Commit("jellyfin: enable");
        var before = await CountAsync();
        var forged = await alpha.RunAsync("record", "commit", "HEAD", "--repo", repo.Path, "--host", "beta");
        var afterCli = await CountAsync();
        var own = await alpha.RunAsync("record", "commit", "HEAD", "--repo", repo.Path);

        // Assert
        import.ExitCode.ShouldBe(0, import.Err);
        forged.ExitCode.ShouldBe(2, forged.Out + forged.Err);
        forged.Err.ShouldContain("role ledger_host_alpha may record events only for host alpha, not for beta");
        forged.Err.ShouldContain("Nothing was stored");
        afterCli.ShouldBe(before, "nothing is stored for the refused event");
        own.ExitCode.ShouldBe(0, own.Err);
        (await CountAsync()).ShouldBe(before + 1);
        (await ScalarAsync<long>("select count(*) from ledger.mt_events where data->>'host' = 'beta'")).ShouldBe(0);

        // Raw SQL with alpha's credentials: an event about beta is refused, the same row about alpha is not.
        await using var conn = new NpgsqlConnection(alphaDb);
        await conn.OpenAsync();
        var aboutBeta = await InsertCopiesAsync(conn, "beta");
        var aboutAlpha = await InsertCopiesAsync(conn, "alpha");
        aboutBeta.ShouldNotBeNull().SqlState.ShouldBe(FleetSchema.WrongHostState);
        aboutBeta.MessageText.ShouldContain("only for host alpha, not for beta");
        aboutAlpha.ShouldBeNull("the same row about its own host is accepted (then rolled back)");

        // Nor can alpha switch the check off or change which host its role stands for.
        (await FailsAsync(conn, "alter table ledger.mt_events disable trigger ledger_host_only")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await FailsAsync(conn, "update ledger.ledger_fleet_hosts set host = 'beta' where role = 'ledger_host_alpha'")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await FailsAsync(conn, "insert into ledger.ledger_fleet_hosts (host, role) values ('gamma', 'ledger_host_alpha')")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await FailsAsync(conn, "delete from ledger.mt_events where data->>'host' = 'alpha'")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await CountAsync()).ShouldBe(before + 1);
    }

    [Fact]
    public async Task Three_hosts_appending_at_once_leave_one_chain_that_any_host_seals_and_verifies()
    {
        // Arrange
        string[] hosts = ["par1", "par2", "par3"];
        var strings = new Dictionary<string, string>();
        foreach (var host in hosts)
        {
            strings[host] = await AddHostAsync(host);
        }

        // Act: 3 hosts x 200 events, each host with 4 appends in flight.
        await Task.WhenAll(hosts.Select(async host =>
        {
            await using var store = await LedgerStore.OpenAsync(strings[host]);
            var next = 0;
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) is var i && i <= 200)
                {
                    await store.AppendAsync(new NewEvent(StreamKeys.Services(host), new ServiceRestarted(host, "test", $"unit-{i}.service", "load", true)));
                }
            }));
        }));
        var seal = await new CliRun(strings["par1"], _home.Path, host: "par1").RunAsync("seal");
        var verify = await new CliRun(strings["par2"], _home.Path, host: "par2").RunAsync("verify");
        var list = await new CliRun(strings["par3"], _home.Path, host: "par3").RunAsync("fleet", "hosts", "--json");

        // Assert
        seal.ExitCode.ShouldBe(0, seal.Err);
        verify.ExitCode.ShouldBe(0, verify.Out + verify.Err);
        verify.Out.ShouldContain("Intact");
        foreach (var host in hosts)
        {
            (await ScalarAsync<long>($"select count(*) from ledger.mt_events where data->>'host' = '{host}'")).ShouldBe(200, host);
        }

        (await ScalarAsync<long>("select count(*) - count(distinct seq_id) from ledger.mt_events")).ShouldBe(0);
        (await ScalarAsync<long>("select count(*) from ledger.mt_events e where not exists (select 1 from ledger.ledger_chain c where c.seq = e.seq_id)")).ShouldBe(0, "every event is sealed");
        list.ExitCode.ShouldBe(0, list.Err);
        using var listed = System.Text.Json.JsonDocument.Parse(list.Out);
        var rows = listed.RootElement.EnumerateArray().Where(h => hosts.Contains(h.GetProperty("host").GetString())).ToList();
        rows.Count.ShouldBe(3);
        rows.ShouldAllBe(h => h.GetProperty("events").GetInt64() == 200 && h.GetProperty("verifies").GetBoolean() && h.GetProperty("unsealed").GetInt64() == 0);
    }

    [Fact]
    public async Task Only_the_owner_adds_or_removes_hosts_and_a_removed_host_can_no_longer_connect_while_its_events_stay()
    {
        // Arrange
        var omegaDb = await AddHostAsync("omega");
        var omega = new CliRun(omegaDb, _home.Path, host: "omega");
        (await omega.RunAsync("annotate", "--help")).ExitCode.ShouldBe(0);
        await using (var store = await LedgerStore.OpenAsync(omegaDb))
        {
            await store.AppendAsync(new NewEvent(StreamKeys.Services("omega"), new ServiceRestarted("omega", "test", "x.service", null, true)));
        }

        // Act
        var byHost = await omega.RunAsync("fleet", "add-host", "sigma");
        var again = await Owner().RunAsync("fleet", "add-host", "omega");
        var badName = await Owner().RunAsync("fleet", "add-host", "alice bob");
        var removed = await Owner().RunAsync("fleet", "remove-host", "omega");
        var afterRemoval = await omega.RunAsync("timeline", "--limit", "1");
        var list = await Owner().RunAsync("fleet", "hosts");

        // Assert
        byHost.ExitCode.ShouldBe(2);
        byHost.Err.ShouldContain("only the owner (or a superuser) can add a host");
        again.ExitCode.ShouldBe(2);
        again.Err.ShouldContain("Host 'omega' already has its role 'ledger_host_omega'");
        badName.ExitCode.ShouldBe(2);
        badName.Err.ShouldContain("is not a host name");
        removed.ExitCode.ShouldBe(0, removed.Err);
        removed.Out.ShouldContain("Dropped role ledger_host_omega");
        afterRemoval.ExitCode.ShouldBe(2, afterRemoval.Out + afterRemoval.Err);
        afterRemoval.Err.ShouldContain("ledger_host_omega");
        (await ScalarAsync<long>("select count(*) from ledger.mt_events where data->>'host' = 'omega'")).ShouldBe(1, "the events of a removed host stay");
        (await ScalarAsync<long>("select count(*) from pg_roles where rolname = 'ledger_host_omega'")).ShouldBe(0);
        list.ExitCode.ShouldBe(0, list.Err);
        list.Out.Split('\n').ShouldContain(l => l.StartsWith("omega ", StringComparison.Ordinal) && l.Contains("(shared)"), list.Out);
    }

    [Fact]
    public async Task A_host_given_a_client_certificate_logs_in_with_it_and_no_password_and_is_confined_like_the_others()
    {
        // Arrange
        var (certificate, key) = central.Pg.ClientCertificate;
        var add = await Owner().RunAsync("fleet", "add-host", "certified", "--role", ScramPostgres.CertificateRole,
            "--client-cert", certificate, "--client-key", key, "--root-cert", central.Pg.Certificate, "--json");
        var halfGiven = await Owner().RunAsync("fleet", "add-host", "half", "--client-cert", certificate);
        add.ExitCode.ShouldBe(0, add.Err);
        using var made = System.Text.Json.JsonDocument.Parse(add.Out);
        var db = made.RootElement.GetProperty("connectionString").GetString()!;
        var b = new NpgsqlConnectionStringBuilder(db);

        // Act
        await using var store = await LedgerStore.OpenAsync(db);
        var own = await store.AppendAsync(new NewEvent(StreamKeys.Services("certified"), new ServiceRestarted("certified", "test", "x.service", null, true)));
        var other = await Should.ThrowAsync<Exception>(() =>
            store.AppendAsync(new NewEvent(StreamKeys.Services("elsewhere"), new ServiceRestarted("elsewhere", "test", "x.service", null, true))));
        await using var withoutCertificate = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db) { SslCertificate = null, SslKey = null, Pooling = false }.ConnectionString);
        var refused = await Should.ThrowAsync<PostgresException>(() => withoutCertificate.OpenAsync());

        // Assert
        (b.Password, b.SslCertificate, b.SslKey, b.SslMode).ShouldBe((null, certificate, key, SslMode.VerifyFull));
        own.ShouldBeGreaterThan(0);
        DatabaseErrors.WrongHost(other).ShouldNotBeNull();
        refused.SqlState.ShouldBe(PostgresErrorCodes.InvalidAuthorizationSpecification, "without its certificate the role cannot log in: it has no password");
        halfGiven.ExitCode.ShouldBe(2);
        halfGiven.Err.ShouldContain("--client-cert and --client-key go together");
    }

    [HookExecutableFact]
    public async Task The_published_hook_records_over_TLS_with_a_host_role_and_is_refused_for_another_host()
    {
        // Arrange
        var db = await AddHostAsync("hooked");
        using var repo = new GitRepo();
        repo.Write("configuration.nix", "{ }\n");
        var sha = repo.Commit("hooked: first");
        var env = new Dictionary<string, string?> { ["LEDGER_DB"] = db, ["LEDGER_HOME"] = _home.Path, ["HOME"] = _home.Path, ["LEDGER_HOST"] = "hooked" };
        var before = await CountAsync();

        // Act
        var own = await CliProcess.RunProgramAsync(HookExecutableFactAttribute.Path!, env, "record", "commit", "HEAD", "--repo", repo.Path);
        var other = await CliProcess.RunProgramAsync(HookExecutableFactAttribute.Path!, env, "record", "commit", "HEAD", "--repo", repo.Path, "--host", "elsewhere");

        // Assert
        own.ExitCode.ShouldBe(0, own.Out + own.Err);
        (await ScalarAsync<long>($"select count(*) from ledger.mt_events where data->>'sha' = '{sha}' and data->>'host' = 'hooked'")).ShouldBe(1);
        other.ExitCode.ShouldBe(2, other.Out + other.Err);
        other.Err.ShouldContain("may record events only for host hooked, not for elsewhere");
        (await CountAsync()).ShouldBe(before + 1);
    }

    [Fact]
    public async Task A_statement_of_many_events_with_one_about_another_host_stores_none_of_them()
    {
        // Arrange: a host that has recorded something, and its own connection.
        var db = await AddHostAsync("many");
        using var repo = new GitRepo();
        repo.Write("configuration.nix", "{ }\n");
        repo.Commit("many: first");
        var host = new CliRun(db, _home.Path, host: "many");
        (await host.RunAsync("import-git", "--repo", repo.Path)).ExitCode.ShouldBe(0);
        await using var conn = new NpgsqlConnection(db);
        await conn.OpenAsync();
        var before = await CountAsync();

        // Act: one INSERT of three rows and one COPY of three rows, the middle one about another host;
        // the same three rows about the host itself; and an import of five commits for another host
        // (one batch of appends).
        var mixed = await InsertCopiesAsync(conn, "many", "elsewhere", "many");
        var own = await InsertCopiesAsync(conn, "many", "many", "many");
        var copied = await CopyRowsAsync(conn, "many", "elsewhere", "many");
        for (int i = 0; i < 5; i++)
        {
            repo.Write("configuration.nix", $"{{ networking.hostName = \"n{i}\"; }}\n");
            repo.Commit($"many: {i}");
        }

        var import = await host.RunAsync("import-git", "--repo", repo.Path, "--host", "other");

        // Assert
        mixed.ShouldNotBeNull().SqlState.ShouldBe(FleetSchema.WrongHostState);
        mixed.MessageText.ShouldContain("only for host many, not for elsewhere");
        own.ShouldBeNull("rows about the host itself are accepted (then rolled back)");
        copied.ShouldNotBeNull().SqlState.ShouldBe(FleetSchema.WrongHostState, "COPY is checked as INSERT is");
        import.ExitCode.ShouldBe(2, import.Out + import.Err);
        import.Err.ShouldContain("may record events only for host many, not for other");
        (await CountAsync()).ShouldBe(before, "nothing of a refused statement is stored");
        (await ScalarAsync<long>("select count(*) from ledger.mt_events where data->>'host' in ('elsewhere', 'other')")).ShouldBe(0);
    }

    [Fact]
    public async Task A_ledger_whose_host_check_ran_per_row_gets_the_per_statement_check_when_it_is_upgraded_and_it_still_refuses()
    {
        // Arrange: the owner puts back the per-row trigger of schema version 6 and marks the schema 6.
        var db = await AddHostAsync("upgraded");
        await using (var owner = new NpgsqlConnection(central.Pg.OwnerConnectionString))
        {
            await owner.OpenAsync();
            await using var old = new NpgsqlCommand(
                """
                drop trigger ledger_host_only on ledger.mt_events;
                create function ledger.ledger_host_only() returns trigger language plpgsql security definer as $fn$
                begin return new; end $fn$;
                create trigger ledger_host_only before insert on ledger.mt_events for each row execute function ledger.ledger_host_only();
                update ledger.ledger_meta set schema_version = 6;
                """,
                owner);
            await old.ExecuteNonQueryAsync();
        }

        // Act: the owner opens the ledger (which upgrades it); the host then writes about another host.
        await (await LedgerStore.OpenAsync(central.Pg.OwnerConnectionString)).DisposeAsync();
        await using var conn = new NpgsqlConnection(db);
        await conn.OpenAsync();
        var refused = await InsertCopiesAsync(conn, "upgraded", "elsewhere");

        // Assert: one statement-level trigger (tgtype 4: after insert, per statement), the old function gone.
        (await ScalarAsync<string>("select string_agg(tgname || ':' || tgtype, ',') from pg_trigger where tgrelid = 'ledger.mt_events'::regclass and tgname = 'ledger_host_only'")).ShouldBe("ledger_host_only:4");
        (await ScalarAsync<long>("select count(*) from pg_proc where proname = 'ledger_host_only'")).ShouldBe(0);
        (await ScalarAsync<int>("select schema_version from ledger.ledger_meta")).ShouldBe(MartenConfig.SchemaVersion);
        refused.ShouldNotBeNull().SqlState.ShouldBe(FleetSchema.WrongHostState);
    }

    /// <summary>Adds a host with the owner's connection and returns the connection string add-host printed for it.</summary>
    private async Task<string> AddHostAsync(string host)
    {
        var add = await Owner().RunAsync("fleet", "add-host", host, "--json", "--root-cert", central.Pg.Certificate);
        add.ExitCode.ShouldBe(0, add.Err);
        using var made = System.Text.Json.JsonDocument.Parse(add.Out);
        return made.RootElement.GetProperty("connectionString").GetString()!;
    }

    private CliRun Owner() => new(central.Pg.OwnerConnectionString, _home.Path, host: "central");

    private Task<long> CountAsync() => ScalarAsync<long>("select count(*) from ledger.mt_events");

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(central.Pg.OwnerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Inserts copies of an existing event, one about each of <paramref name="hosts"/>, in one statement in a transaction that is rolled back; the refusal, or null.</summary>
    private static Task<PostgresException?> InsertCopiesAsync(NpgsqlConnection conn, params string[] hosts) =>
        RolledBackAsync(conn, async tx =>
        {
            await using var cmd = new NpgsqlCommand(
                """
                insert into ledger.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived)
                select nextval('ledger.mt_events_sequence'), gen_random_uuid(), e.stream_id, e.version + 1000 + h.n, jsonb_set(e.data, '{host}', to_jsonb(h.host)),
                       e.type, e.timestamp, e.tenant_id, e.mt_dotnet_type, false
                from (select * from ledger.mt_events order by seq_id limit 1) e, unnest($1::text[]) with ordinality h(host, n)
                order by h.n
                """,
                conn,
                tx);
            cmd.Parameters.AddWithValue(hosts);
            await cmd.ExecuteNonQueryAsync();
        });

    /// <summary>COPYs copies of an existing event, one about each of <paramref name="hosts"/>, in a transaction that is rolled back; the refusal, or null.</summary>
    private static Task<PostgresException?> CopyRowsAsync(NpgsqlConnection conn, params string[] hosts) =>
        RolledBackAsync(conn, async tx =>
        {
            string streamId, type, data;
            long version;
            await using (var read = new NpgsqlCommand("select stream_id, version, type, data::text from ledger.mt_events order by seq_id limit 1", conn, tx))
            await using (var row = await read.ExecuteReaderAsync())
            {
                await row.ReadAsync();
                (streamId, version, type, data) = (row.GetString(0), row.GetInt64(1), row.GetString(2), row.GetString(3));
            }

            await using var writer = await conn.BeginTextImportAsync("copy ledger.mt_events (seq_id, id, stream_id, version, data, type) from stdin");
            for (int i = 0; i < hosts.Length; i++)
            {
                var json = System.Text.Json.Nodes.JsonNode.Parse(data)!;
                json["host"] = hosts[i];
                await writer.WriteLineAsync(string.Join('\t', 900_000_000 + i, Guid.NewGuid(), streamId, version + 2000 + i, json.ToJsonString().Replace("\\", "\\\\"), type));
            }
        });

    /// <summary>Runs <paramref name="act"/> in a transaction that is rolled back; the database's refusal, or null.</summary>
    private static async Task<PostgresException?> RolledBackAsync(NpgsqlConnection conn, Func<NpgsqlTransaction, Task> act)
    {
        await using var tx = await conn.BeginTransactionAsync();
        try
        {
            await act(tx);
            return null;
        }
        catch (PostgresException e)
        {
            return e;
        }
        finally
        {
            await tx.RollbackAsync();
        }
    }

    private static async Task<string?> FailsAsync(NpgsqlConnection conn, string sql)
    {
        try
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }
}

/// <summary>Issue 22: what <c>fleet add-host</c> hands a host, without a server.</summary>
public sealed class FleetCredentialSpecs
{
    [Theory]
    [InlineData("Host=db.example.org;Port=5433;Username=owner;Password=x;Database=ledger", null, null, "Host=db.example.org;Port=5433;Database=ledger;Username=r;Password=p;SSL Mode=VerifyFull")]
    [InlineData("Host=/run/postgresql;Username=owner;Database=ledger", null, null, "Host=/run/postgresql;Port=5432;Database=ledger;Username=r;Password=p")]
    [InlineData("Host=localhost;Username=owner;Database=ledger", "db.example.org:6543", null, "Host=db.example.org;Port=6543;Database=ledger;Username=r;Password=p;SSL Mode=VerifyFull")]
    [InlineData("Host=localhost;Username=owner;Database=ledger", "[2001:db8::1]:6543", "require", "Host=2001:db8::1;Port=6543;Database=ledger;Username=r;Password=p;SSL Mode=Require")]
    [InlineData("Host=localhost;Username=owner;Database=ledger", "db.internal", "disable", "Host=db.internal;Port=5432;Database=ledger;Username=r;Password=p;SSL Mode=Disable")]
    public void A_hosts_connection_string_uses_TLS_with_the_servers_name_checked_unless_it_is_a_Unix_socket_or_told_otherwise(string owner, string? address, string? ssl, string expected) =>
        HostConnection.Build(owner, "r", "p", address, ssl).ShouldBe(expected);

    [Theory]
    [InlineData("Host=db.example.org;Username=ledger", "VerifyFull")]
    [InlineData("postgresql://ledger@db.example.org/ledger", "VerifyFull")]
    [InlineData("Host=db.example.org;Username=ledger;SSL Mode=Disable", "Disable")]
    [InlineData("Host=db.example.org;Username=ledger;sslmode=require", "Require")]
    [InlineData("Host=localhost,db2.example.org;Username=ledger", "VerifyFull")]
    [InlineData("Host=localhost;Username=ledger", "Prefer")]
    [InlineData("Host=127.0.0.1;Username=ledger", "Prefer")]
    [InlineData("Host=::1;Username=ledger", "Prefer")]
    [InlineData("Host=/run/postgresql;Username=ledger", "Prefer")]
    public void A_server_over_the_network_is_reached_through_TLS_with_its_name_checked_unless_the_string_says_otherwise(string given, string expected) =>
        new NpgsqlConnectionStringBuilder(ConnectionStrings.WithDefaults(given)).SslMode.ToString().ShouldBe(expected);

    [Fact]
    public void A_generated_password_yields_the_SCRAM_verifier_PostgreSQL_would_store()
    {
        // RFC 7677's example: user "user", password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations.
        var verifier = ScramVerifier.For("pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);

        // StoredKey = SHA-256(ClientKey) and ServerKey from the RFC's SaltedPassword; ServerKey gives the RFC's server signature.
        verifier.ShouldStartWith("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$");
        var serverKey = Convert.FromBase64String(verifier.Split('$')[2].Split(':')[1]);
        const string AuthMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        var signature = System.Security.Cryptography.HMACSHA256.HashData(serverKey, System.Text.Encoding.ASCII.GetBytes(AuthMessage));
        Convert.ToBase64String(signature).ShouldBe("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        ScramVerifier.NewPassword().Length.ShouldBe(43);
        ScramVerifier.NewPassword().ShouldNotBe(ScramVerifier.NewPassword());
    }
}
