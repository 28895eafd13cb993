using System.Text.Json;
using Ledger.IntegrationTests.Support;
using Npgsql;

namespace Ledger.IntegrationTests.Spool;

/// <summary>
/// Issue 22: the durable local spool. A database that cannot be reached is a closed port here;
/// the database that answers is this class's own (<see cref="DatabaseFixture"/>).
/// </summary>
public sealed class SpoolSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private const string Closed = "Host=127.0.0.1;Port=1;Username=ledger;Database=ledger;Timeout=5";

    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-spool");
    private readonly GitRepo _repo = new();
    private readonly string _host = "spool-" + Guid.NewGuid().ToString("N")[..8];

    public SpoolSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _home.Dispose();
        _repo.Dispose();
    }

    private string Spool => Path.Combine(_home.Path, "spool");

    private CliRun Down => new(Closed, _home.Path, _host);

    private CliRun Up => new(_db.ConnectionString, _home.Path, _host);

    [Fact(Timeout = 120_000)]
    public async Task A_spooled_event_delivered_again_after_a_crash_before_its_file_was_removed_is_stored_once_issue_22()
    {
        // Arrange: a commit spooled, delivered, and its file put back as a crash between the
        // append's commit and the file's removal would have left it.
        _repo.Write("a.nix", "{ }\n");
        var sha = _repo.Commit("Enable jellyfin");
        var spooled = await Down.RunAsync("record", "commit", "--repo", _repo.Path);
        var file = Directory.GetFiles(Spool, "*.json").ShouldHaveSingleItem();
        var copy = await File.ReadAllBytesAsync(file);
        var first = await Up.RunAsync("sync");
        await File.WriteAllBytesAsync(file, copy);

        // Act
        var second = await Up.RunAsync("sync", "--json");

        // Assert
        spooled.ExitCode.ShouldBe(0, spooled.Err);
        spooled.Out.ShouldBeEmpty();
        first.Out.ShouldContain("Delivered 1 spooled event;");
        second.ExitCode.ShouldBe(0, second.Err);
        using var json = JsonDocument.Parse(second.Out);
        json.RootElement.GetProperty("delivered").GetInt32().ShouldBe(0);
        json.RootElement.GetProperty("alreadyStored").GetInt32().ShouldBe(1);
        json.RootElement.GetProperty("remaining").GetInt32().ShouldBe(0);
        (await _db.ScalarAsync($"select count(*) from ledger.mt_events where type = 'config_edited' and data->>'sha' = '{sha}' and data->>'host' = '{_host}'")).ShouldBe(1L);
        Directory.GetFiles(Spool, "*.json").ShouldBeEmpty();
    }

    [Fact(Timeout = 120_000)]
    public async Task The_next_commit_delivers_the_spool_first_so_sequence_numbers_follow_the_commits_issue_22()
    {
        // Arrange: two commits spooled while the database was away.
        var shas = await TwoSpooledThenOneCommitAsync();

        // Act: the third commit, with the database back.
        var third = await Up.RunAsync("record", "commit", "--repo", _repo.Path);

        // Assert
        third.ExitCode.ShouldBe(0, third.Err);
        third.Out.ShouldBe($"Delivered 2 spooled events first.\nRecorded {shas[2][..8]} Three\n");
        var order = await ShasInSequenceAsync();
        order.ShouldBe(shas);
        Directory.GetFiles(Spool, "*.json").ShouldBeEmpty();
    }

    [Fact(Timeout = 120_000)]
    public async Task A_spool_file_that_cannot_be_read_back_is_set_aside_in_rejected_with_the_reason_and_the_rest_is_delivered_issue_22()
    {
        // Arrange: a truncated file before a good one.
        _repo.Write("a.nix", "{ }\n");
        var sha = _repo.Commit("Enable jellyfin");
        (await Down.RunAsync("record", "commit", "--repo", _repo.Path)).ExitCode.ShouldBe(0);
        var good = Directory.GetFiles(Spool, "*.json").ShouldHaveSingleItem();
        var broken = Path.Combine(Spool, "20000101T000000.0000000Z-00000000.json");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(good))[..60]);

        // Act
        var sync = await Up.RunAsync("sync");
        var status = await Up.RunAsync("db", "status", "--json");

        // Assert
        sync.ExitCode.ShouldBe(1, sync.Err);
        sync.Out.ShouldContain("Delivered 1 spooled event;");
        var rejected = Path.Combine(Spool, "rejected", Path.GetFileName(broken));
        sync.Err.ShouldContain($"moved to {rejected}");
        File.Exists(rejected).ShouldBeTrue();
        (await File.ReadAllTextAsync(rejected + ".why")).ShouldContain("is not a spooled event");
        File.Exists(broken).ShouldBeFalse();
        (await _db.ScalarAsync($"select count(*) from ledger.mt_events where data->>'sha' = '{sha}' and data->>'host' = '{_host}'")).ShouldBe(1L);
        using var json = JsonDocument.Parse(status.Out);
        json.RootElement.GetProperty("spool").GetProperty("rejected").GetInt32().ShouldBe(1);
    }

    [Fact(Timeout = 120_000)]
    public async Task Db_status_shows_the_spools_size_and_age_and_says_ledger_sync_delivers_it_issue_22()
    {
        // Arrange
        _repo.Write("a.nix", "{ }\n");
        _repo.Commit("One");
        (await Down.RunAsync("record", "commit", "--repo", _repo.Path)).ExitCode.ShouldBe(0);
        _repo.Write("a.nix", "{ x = 1; }\n");
        _repo.Commit("Two");
        (await Down.RunAsync("record", "commit", "--repo", _repo.Path)).ExitCode.ShouldBe(0);
        var bytes = Directory.GetFiles(Spool, "*.json").Sum(f => new FileInfo(f).Length);

        // Act
        var down = await Down.RunAsync("db", "status");
        var downJson = await Down.RunAsync("db", "status", "--json");
        var upBefore = await Up.RunAsync("db", "status");
        (await Up.RunAsync("sync")).ExitCode.ShouldBe(0);
        var upAfter = await Up.RunAsync("db", "status");

        // Assert
        down.ExitCode.ShouldBe(1, down.Err);
        down.Out.ShouldContain("state:    unreachable (Connection refused)");
        down.Out.ShouldContain($"spool:    2 events (");
        down.Out.ShouldContain($"old, in {Spool}; 'ledger sync' delivers them");
        using var json = JsonDocument.Parse(downJson.Out);
        json.RootElement.GetProperty("state").GetString().ShouldBe("unreachable");
        var spool = json.RootElement.GetProperty("spool");
        spool.GetProperty("events").GetInt32().ShouldBe(2);
        spool.GetProperty("bytes").GetInt64().ShouldBe(bytes);
        spool.GetProperty("oldestAgeSeconds").GetInt64().ShouldBeInRange(0, 600);
        upBefore.ExitCode.ShouldBe(0, upBefore.Err);
        upBefore.Out.ShouldContain("spool:    2 events (");
        upAfter.Out.ShouldContain("spool:    empty");
    }

    [Theory(Timeout = 120_000)]
    [InlineData("Username=no_such_role", "no_such_role")]
    [InlineData("Database=no_such_database", "no_such_database")]
    public async Task A_database_that_answers_and_refuses_is_an_error_and_nothing_is_spooled_issue_22(string change, string named)
    {
        // Arrange: the test server, which answers, with a role or database it refuses.
        var b = new NpgsqlConnectionStringBuilder(_db.ConnectionString);
        var (key, value) = (change.Split('=')[0], change.Split('=')[1]);
        b[key] = value;
        _repo.Write("a.nix", "{ }\n");
        _repo.Commit("Enable jellyfin");

        // Act
        var run = await new CliRun(b.ConnectionString, _home.Path, _host).RunAsync("record", "commit", "--repo", _repo.Path);

        // Assert
        run.ExitCode.ShouldBe(2, run.Err);
        run.Err.ShouldContain(named);
        run.Err.ShouldNotContain("spool");
        Directory.Exists(Spool).ShouldBeFalse();
    }

    [Fact(Timeout = 120_000)]
    public async Task Sync_with_the_database_still_away_keeps_the_spool_and_exits_2_issue_22()
    {
        // Arrange
        _repo.Write("a.nix", "{ }\n");
        _repo.Commit("One");
        (await Down.RunAsync("record", "commit", "--repo", _repo.Path)).ExitCode.ShouldBe(0);

        // Act
        var sync = await Down.RunAsync("sync");

        // Assert
        sync.ExitCode.ShouldBe(2);
        sync.Out.ShouldContain("Nothing delivered; 1 event left in the spool");
        sync.Err.ShouldContain("cannot be reached (Connection refused); the spool keeps 1 event until it answers");
        Directory.GetFiles(Spool, "*.json").ShouldHaveSingleItem();
    }

    [Fact(Timeout = 120_000)]
    public async Task Import_git_delivers_the_spool_before_its_own_events_issue_22()
    {
        // Arrange: two commits spooled while the database was away, a third not recorded at all.
        var shas = await TwoSpooledThenOneCommitAsync();

        // Act
        var import = await Up.RunAsync("import-git", "--repo", _repo.Path);

        // Assert: the spooled ones first, in their order; the import finds them recorded.
        import.ExitCode.ShouldBe(0, import.Err);
        import.Out.ShouldStartWith("Delivered 2 spooled events first.\n");
        import.Out.ShouldContain("1 recorded, 2 already recorded");
        (await ShasInSequenceAsync()).ShouldBe(shas);
        Directory.GetFiles(Spool, "*.json").ShouldBeEmpty();
    }

    /// <summary>Commits One and Two, each recorded while the database was away (so spooled), then Three, not recorded; their shas.</summary>
    private async Task<List<string>> TwoSpooledThenOneCommitAsync()
    {
        var shas = new List<string>();
        foreach (var message in new[] { "One", "Two", "Three" })
        {
            _repo.Write("a.nix", $"{{ n = \"{message}\"; }}\n");
            shas.Add(_repo.Commit(message));
            if (message != "Three")
            {
                (await Down.RunAsync("record", "commit", "--repo", _repo.Path)).ExitCode.ShouldBe(0);
            }
        }

        return shas;
    }

    private async Task<List<string>> ShasInSequenceAsync()
    {
        await using var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select data->>'sha' from ledger.mt_events where type = 'config_edited' and data->>'host' = $1 order by seq_id", conn);
        cmd.Parameters.AddWithValue(_host);
        var shas = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            shas.Add(reader.GetString(0));
        }

        return shas;
    }
}
