using Ledger.IntegrationTests.Support;
using Ledger.Store;
using Npgsql;

namespace Ledger.IntegrationTests;

/// <summary>
/// Issue 15: every mistake in --db / LEDGER_DB or LEDGER_HOME is a usage error (exit 2) that names
/// what is wrong and what to do, never an internal error (exit 70). Run as real child processes,
/// as a user would meet them.
/// </summary>
public sealed class ConnectionStringSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-cs");

    public ConnectionStringSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose() => _home.Dispose();

    private Dictionary<string, string?> Env(string? db, string? home = null) =>
        new() { ["LEDGER_DB"] = db, ["LEDGER_HOME"] = home ?? _home.Path, ["HOME"] = _home.Path, ["LEDGER_DB_RETRY_SECONDS"] = "0" };

    [Theory]
    [InlineData("garbage", "'garbage' is not a connection string Ledger can read")]
    [InlineData("Host=;", "'Host=;' names no host")]
    [InlineData("Username=ledger;Database=ledger", "names no host")]
    [InlineData("Host=db.example.org;Port=abc", "is not a connection string Ledger can read")]
    [InlineData("Host=db.example.org;Colour=blue", "is not a connection string Ledger can read")]
    [InlineData("postgresql://ledger@db.example.org/ledger?colour=blue", "the URL parameter 'colour' is not one Ledger knows")]
    [InlineData("postgresql://ledger@/ledger", "names no host")]
    [InlineData("Host=db.invalid;Username=ledger;Database=ledger;Timeout=5", "Cannot reach the database (ledger@db.invalid/ledger)")]
    [InlineData("Host=127.0.0.1;Port=1;Username=ledger;Database=ledger;Timeout=5", "Cannot reach the database (ledger@127.0.0.1:1/ledger)")]
    [InlineData("postgresql://ledger:secret@127.0.0.1:1/ledger", "Cannot reach the database (ledger@127.0.0.1:1/ledger)")]
    public async Task A_bad_connection_string_is_exit_2_saying_what_is_wrong_issue_15(string db, string message)
    {
        var run = await CliProcess.RunAsync(Env(db), "timeline");

        run.ExitCode.ShouldBe(2, run.Err);
        run.Err.ShouldContain(message);
        run.Err.ShouldContain("LEDGER_DB");
        run.Err.ShouldNotContain("bug");
        run.Err.ShouldNotContain("secret");
    }

    [Fact]
    public async Task The_url_form_psql_users_write_is_accepted_issue_15()
    {
        // Arrange: this class's database as a libpq URL (a socket directory goes in ?host=, as psql wants it).
        var b = new NpgsqlConnectionStringBuilder(_db.ConnectionString);
        var user = Uri.EscapeDataString(b.Username!) + (b.Password is { } p ? ":" + Uri.EscapeDataString(p) : "");
        var url = b.Host!.StartsWith('/')
            ? $"postgresql://{user}@/{b.Database}?host={Uri.EscapeDataString(b.Host)}&port={b.Port}"
            : $"postgresql://{user}@{b.Host}:{b.Port}/{b.Database}";

        // Act
        var run = await CliProcess.RunAsync(Env(url), "db", "status");

        // Assert
        run.ExitCode.ShouldBe(0, run.Err);
        run.Out.ShouldContain($"database: {b.Username}@");
        run.Out.ShouldContain("state:    reachable");
    }

    [Theory]
    [InlineData("postgresql://alice:p%40ss@db.example.org:6543/ledger?sslmode=verify-full&application_name=ledger-hook",
        "Host=db.example.org;Port=6543;Username=alice;Password=p@ss;Database=ledger;SSL Mode=VerifyFull;Application Name=ledger-hook")]
    [InlineData("postgres://ledger@/ledger?host=%2Frun%2Fpostgresql", "Host=/run/postgresql;Username=ledger;Database=ledger")]
    [InlineData("postgresql://ledger@db1:5432,db2:5433/ledger?target_session_attrs=primary",
        "Host=db1:5432,db2:5433;Username=ledger;Database=ledger;Target Session Attributes=primary")]
    [InlineData("postgresql://[::1]:5433/ledger", "Host=::1;Port=5433;Database=ledger")]
    [InlineData("host=db.example.org port=6543 dbname=ledger user=alice password=secret", "Host=db.example.org;Port=6543;Database=ledger;Username=alice;Password=secret")]
    [InlineData("host=/run/postgresql dbname=ledger user=alice password='a \\' b'", "Host=/run/postgresql;Database=ledger;Username=alice;Password=a ' b")]
    [InlineData("Host=db.example.org;Username=alice;Database=ledger", "Host=db.example.org;Username=alice;Database=ledger")]
    public void The_url_and_libpq_forms_mean_what_they_mean_to_psql_issue_15(string given, string expected)
    {
        var normalized = ConnectionStrings.Normalize(given);

        Pairs(normalized).ShouldBe(Pairs(expected));
    }

    /// <summary>The settings a connection string makes, as Npgsql reads them, in a fixed order.</summary>
    private static List<string> Pairs(string connectionString)
    {
        var b = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = new NpgsqlConnectionStringBuilder(connectionString).ConnectionString };
        return [.. b.Keys.Cast<string>().Select(k => $"{k}={b[k]}").Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task A_ledger_home_that_is_a_file_is_exit_2_saying_so_issue_15()
    {
        var file = Path.Combine(_home.Path, "not-a-folder");
        await File.WriteAllTextAsync(file, "");

        var run = await CliProcess.RunAsync(Env(null, file), "timeline");
        var below = await CliProcess.RunAsync(Env(null, Path.Combine(file, "ledger")), "db", "status");

        run.ExitCode.ShouldBe(2, run.Err);
        run.Err.ShouldContain($"LEDGER_HOME {file} is a file, not a directory");
        below.ExitCode.ShouldBe(2, below.Err);
        below.Err.ShouldContain($"lies below {file}, which is a file");
    }

    [Fact]
    public async Task A_ledger_home_that_cannot_be_written_is_exit_2_saying_so_issue_15()
    {
        // Root writes anywhere a mode allows nothing; /proc refuses even root.
        string home;
        if (Ledger.Store.Embedded.EmbeddedPostgres.IsRoot)
        {
            home = "/proc/ledger-home-issue-15";
        }
        else
        {
            home = Path.Combine(_home.Path, "read-only");
            Directory.CreateDirectory(home);
            File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        var run = await CliProcess.RunAsync(Env(null, home), "timeline");

        run.ExitCode.ShouldBe(2, run.Err);
        run.Err.ShouldContain($"LEDGER_HOME {home}");
        run.Err.ShouldContain("Set LEDGER_HOME to a directory you can write");
        run.Err.ShouldNotContain("bug");
    }
}
