using Ledger.Cli.Commands;
using Ledger.Core.Events;
using Ledger.IntegrationTests.Support;
using Ledger.Store;
using Npgsql;

namespace Ledger.IntegrationTests;

/// <summary>The git hook's lean path (StreamStarter) against the Marten path it stands in for.</summary>
public sealed class HookPathSpecs : IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _db;

    public HookPathSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    private static ConfigEdited Edit(string sha) => new(
        "alpha", "alice", "/etc/nixos", sha, ["0000"], "Alice", "alice@example.org", new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero),
        "Enable jellyfin\n\nwith \"quotes\" <and> ünïcode, a \\ backslash, a \t tab, 🎬, \u2028 and \u0001\n", "Enable jellyfin",
        [new FileChange("hosts/alpha.nix", "old.nix", FileChangeKind.Renamed, 2, 1, [new LineRange(3, 4)], false, "@@ -3 +3,2 @@\n-a\n+b\n+c\n")], 2, 1);

    [Theory]
    [InlineData("hook")]
    [InlineData("batch")]
    [InlineData("spooled batch")] // JSON written before, sent as the UTF-8 of that text
    public async Task The_lean_paths_write_the_rows_the_Marten_path_writes(string path)
    {
        // Arrange: a Marten session appends (AppendAsync), the two lean paths start streams.
        var at = new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);
        var (marten, lean) = ($"commit:marten-{path}", $"commit:lean-{path}");

        // Act
        await _db.Store.AppendAsync(new NewEvent(marten, Edit("aaaa"), at));
        long seq;
        if (path == "hook")
        {
            var (outcome, s) = await StreamStarter.TryStartAsync(_db.ConnectionString, new NewEvent(lean, Edit("aaaa"), at));
            outcome.ShouldBe(StreamStarter.Outcome.Started);
            seq = s;
        }
        else
        {
            // The batch sends each event's JSON as UTF-8 (NewEvent.Utf8Json): the same text as Json.
            var e = path == "batch" ? new NewEvent(lean, Edit("aaaa"), at) : NewEvent.Serialised(lean, Edit("aaaa"), at, new NewEvent(lean, Edit("aaaa"), at).Json);
            e.Utf8Json.ShouldBe(System.Text.Encoding.UTF8.GetBytes(new NewEvent(lean, Edit("aaaa"), at).Json));
            (await _db.Store.StartStreamsAsync([new NewEvent(lean + "-0", Edit("0000"), at), e])).ShouldBe(2);
            seq = await _db.Store.FirstSeqOfStreamAsync(lean);
            (await _db.Store.FirstSeqOfStreamAsync(lean + "-0")).ShouldBe(seq - 1); // sequence follows the batch's order
        }

        // Assert
        seq.ShouldBe(await _db.Store.FirstSeqOfStreamAsync(lean));
        var same = await _db.ScalarAsync(
            $"""
            select count(*) from ledger.mt_events m join ledger.mt_events l
              on m.stream_id = '{marten}' and l.stream_id = '{lean}'
             and m.data = l.data and m.type = l.type and m.mt_dotnet_type = l.mt_dotnet_type
             and m.version = l.version and m.timestamp = l.timestamp and m.tenant_id = l.tenant_id and m.is_archived = l.is_archived
            """);
        same.ShouldBe(1L);
        (await _db.ScalarAsync($"select count(*) from ledger.mt_streams m join ledger.mt_streams l on m.id = '{marten}' and l.id = '{lean}' and m.version = l.version and m.tenant_id = l.tenant_id and m.is_archived = l.is_archived")).ShouldBe(1L);
        var read = await _db.Store.GetAsync(seq);
        read!.Data.ShouldBeOfType<ConfigEdited>().Files[0].Patch.ShouldBe(Edit("aaaa").Files[0].Patch);
    }

    [Fact]
    public async Task A_batch_holding_a_recorded_stream_records_the_others_once()
    {
        // Arrange
        await _db.Store.StartStreamsAsync([new NewEvent("commit:b1", Edit("b1"))]);

        // Act
        var recorded = await _db.Store.StartStreamsAsync([new NewEvent("commit:b0", Edit("b0")), new NewEvent("commit:b1", Edit("b1")), new NewEvent("commit:b2", Edit("b2"))]);

        // Assert
        recorded.ShouldBe(2);
        (await _db.ScalarAsync("select count(*) from ledger.mt_events where stream_id in ('commit:b0', 'commit:b1', 'commit:b2')")).ShouldBe(3L);
    }

    [Fact]
    public async Task A_stream_recorded_before_is_reported_and_not_written_twice()
    {
        // Arrange
        var e = new NewEvent("commit:twice", Edit("bbbb"));
        await StreamStarter.TryStartAsync(_db.ConnectionString, e);

        // Act
        var (outcome, _) = await StreamStarter.TryStartAsync(_db.ConnectionString, e);

        // Assert
        outcome.ShouldBe(StreamStarter.Outcome.AlreadyExists);
        (await _db.ScalarAsync("select count(*) from ledger.mt_events where stream_id = 'commit:twice'")).ShouldBe(1L);
    }

    [Fact]
    public async Task An_empty_database_asks_for_the_store_which_creates_the_schema()
    {
        // Arrange
        await using var empty = await ScratchDatabase.CreateAsync(await TestPostgres.ServerConnectionStringAsync(), "empty");

        // Act
        var (outcome, _) = await StreamStarter.TryStartAsync(empty.ConnectionString, new NewEvent("commit:x", Edit("cccc")));

        // Assert
        outcome.ShouldBe(StreamStarter.Outcome.NeedsStore);
        await using var conn = new NpgsqlConnection(empty.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select to_regclass('ledger.mt_events') is null", conn);
        (await cmd.ExecuteScalarAsync()).ShouldBe(true);
    }

    [Theory]
    [InlineData("Host=db;Username=ledger", "Disable")]
    [InlineData("Host=db;Username=ledger;Gss Encryption Mode=Prefer", "Prefer")]
    [InlineData("Host=db;Username=ledger;GssEncryptionMode=Require", "Require")]
    public void Gss_encryption_is_off_unless_the_connection_string_asks_for_it(string given, string expected)
    {
        // Act
        var b = new NpgsqlConnectionStringBuilder(ConnectionStrings.WithDefaults(given));

        // Assert
        b.GssEncryptionMode.ToString().ShouldBe(expected);
        b.Host.ShouldBe("db");
        b.Options.ShouldBe("-c jit=off");
    }

    [Fact]
    public void Options_given_in_the_connection_string_are_kept()
    {
        // Act
        var b = new NpgsqlConnectionStringBuilder(ConnectionStrings.WithDefaults("Host=db;Options=-c search_path=x"));

        // Assert
        b.Options.ShouldBe("-c search_path=x");
        b.GssEncryptionMode.ShouldBe(GssEncryptionMode.Disable);
    }

    [Fact]
    public void Each_verb_is_built_under_the_name_it_is_looked_up_by()
    {
        // Act
        var built = Verbs.Factories.Select(f => (f.Name, Command: f.Create(_ => throw new InvalidOperationException())));

        // Assert
        built.ShouldAllBe(b => b.Name == b.Command.Name);
        Verbs.For(["record", "commit"], _ => throw new InvalidOperationException()).Single().Name.ShouldBe("record");
        Verbs.For(["--db", "x", "record"], _ => throw new InvalidOperationException()).Count().ShouldBe(Verbs.Factories.Count);
    }
}
