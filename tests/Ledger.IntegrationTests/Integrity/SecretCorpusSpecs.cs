using Ledger.IntegrationTests.Checks;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Integrity;

/// <summary>
/// Thirty-one realistic secrets committed into a configuration repository, printed by a check's
/// command and typed into annotations: none may appear in any stored event, any command output or
/// the log. (The last one is caught only by the admin's pattern in redact.json.)
/// </summary>
public sealed class SecretCorpusSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-home");
    private readonly TempDirectory _bin = new("ledger-bin");
    private readonly GitRepo _repo = new();

    public SecretCorpusSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _repo.Dispose();
        _bin.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task No_secret_of_the_corpus_reaches_the_store_the_output_or_the_log()
    {
        SecretCorpus.Entries.Count.ShouldBeGreaterThanOrEqualTo(30);
        File.WriteAllText(Path.Combine(_home.Path, "redact.json"), """{ "patterns": ["MEDIABOX-INTERNAL-[0-9]+"] }""");
        foreach (var file in SecretCorpus.Entries.GroupBy(e => e.File))
        {
            _repo.Write(file.Key, string.Join('\n', file.Select(e => e.Line)) + "\n");
        }

        _repo.Commit("Add service credentials (AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY)");
        var everything = string.Join('\n', SecretCorpus.Entries.Select(e => e.Line));
        var rebuild = FakeProgram.Write(_bin.Path, "nixos-rebuild", "#!/bin/sh\ncat <<'EOF'\n" + everything + "\nEOF\nexit 1\n");
        File.WriteAllText(Path.Combine(_home.Path, "checks.json"), """{ "checks": [ { "name": "rebuild", "kind": "nixos-rebuild", "mode": "test", "repo": "/tmp" } ] }""");
        var cli = new CliRun(_db.ConnectionString, _home.Path, "secret-corpus", new Dictionary<string, string?> { ["LEDGER_NIXOS_REBUILD"] = rebuild });

        var outputs = new List<string>();
        async Task Run(params string[] args)
        {
            var r = await cli.RunAsync(args);
            outputs.Add(r.Out + r.Err);
        }

        await Run("import-git", "--repo", _repo.Path, "--verbose");
        await Run("validate", "--json");
        await Run("annotate", "1", "--notes", "rotated: password=Tr0ub4dor&3-mediabox and token ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ12");
        await Run("timeline", "--all", "--json");
        foreach (var seq in new[] { "1", "2", "3" })
        {
            await Run("show", seq);
            await Run("show", seq, "--json");
        }

        var stored = new List<string>();
        await using (var conn = new Npgsql.NpgsqlConnection(_db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("select data::text from ledger.mt_events", conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }
        }

        stored.Count.ShouldBeGreaterThanOrEqualTo(3);
        var logs = string.Join('\n', Directory.GetFiles(Path.Combine(_home.Path, "logs")).Select(File.ReadAllText));
        var haystacks = new Dictionary<string, string>
        {
            ["stored events"] = string.Join('\n', stored),
            ["command output"] = string.Join('\n', outputs),
            ["log"] = logs,
        };
        foreach (var (_, _, secret) in SecretCorpus.Entries)
        {
            foreach (var (where, text) in haystacks)
            {
                text.ShouldNotContain(secret, Case.Sensitive, $"'{secret}' leaked into the {where}");
            }
        }

        haystacks["stored events"].ShouldContain("[REDACTED:");
    }
}
