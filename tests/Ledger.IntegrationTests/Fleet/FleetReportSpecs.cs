using Ledger.Core.Events;
using Ledger.IntegrationTests.Support;
using Ledger.Store;

namespace Ledger.IntegrationTests.Fleet;

/// <summary>Issue 22: the monthly report for the fleet: every host's report and one page comparing them.</summary>
public sealed class FleetReportSpecs(DatabaseFixture db) : IClassFixture<DatabaseFixture>, IDisposable
{
    private static readonly DateTimeOffset March = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _home = new("ledger-fleet-report");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Fleet_writes_each_hosts_report_and_a_page_with_one_line_per_host_linking_to_them()
    {
        // Arrange: alpha has two commits and a rolled-back deploy, beta one alert that stays open.
        using var repo = new GitRepo();
        repo.Write("configuration.nix", "{ }\n");
        repo.Commit("alpha: first", at: March);
        repo.Write("configuration.nix", "{ services.jellyfin.enable = true; }\n");
        repo.Commit("alpha: jellyfin", at: March.AddDays(1));
        var cli = new CliRun(db.ConnectionString, _home.Path, host: "alpha", extra: new Dictionary<string, string?> { ["LEDGER_TIME_ZONE"] = "UTC" });
        (await cli.RunAsync("import-git", "--repo", repo.Path)).ExitCode.ShouldBe(0);
        await db.Store.AppendAsync(new NewEvent(StreamKeys.Deploy("alpha", "d1"), new DeployFinished("alpha", "root", "d1", repo.Path, new string('a', 40), "switch", true, DeployOutcome.RolledBack, 12, 1000, 1, null, "validation failed"), March.AddDays(2)));
        await db.Store.AppendAsync(new NewEvent(StreamKeys.Alert("beta", "fp"), new AlertFired("beta", "alertmanager", "DiskFull", "fp", March.AddDays(3), "warning", new Dictionary<string, string>(), new Dictionary<string, string>(), null), March.AddDays(3)));
        var folder = Path.Combine(_home.Path, "reports");

        // Act
        var run = await cli.RunAsync("report", "monthly", "--month", "2026-03", "--fleet", "--out", folder);
        var json = await cli.RunAsync("report", "monthly", "--month", "2026-03", "--fleet", "--out", folder, "--format", "json");
        var noFolder = await cli.RunAsync("report", "monthly", "--month", "2026-03", "--fleet");
        var withHost = await cli.RunAsync("report", "monthly", "--month", "2026-03", "--fleet", "--host", "alpha", "--out", folder);

        // Assert
        run.ExitCode.ShouldBe(0, run.Err);
        run.Out.ShouldContain("reports of 2 hosts for 2026-03");
        File.ReadAllText(Path.Combine(folder, "alpha-2026-03.md")).ShouldContain("alpha: jellyfin");
        File.ReadAllText(Path.Combine(folder, "beta-2026-03.md")).ShouldContain("DiskFull");
        var page = File.ReadAllLines(Path.Combine(folder, "fleet-2026-03.md"));
        page[0].ShouldBe("# Fleet review 2026-03");
        page.ShouldContain("| [alpha](alpha-2026-03.md) | 2 | 1 | 1 | n/a | 0 | 0 | " + Open(folder, "alpha") + " |");
        page.ShouldContain("| [beta](beta-2026-03.md) | 0 | 0 | 0 | n/a | 1 | 1 | " + Open(folder, "beta") + " |");
        json.ExitCode.ShouldBe(0, json.Err);
        using var index = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "fleet-2026-03.json")));
        index.RootElement.GetProperty("hosts").EnumerateArray().Select(h => h.GetProperty("report").GetString()).ShouldBe(["alpha-2026-03.json", "beta-2026-03.json"]);
        noFolder.ExitCode.ShouldBe(2);
        noFolder.Err.ShouldContain("give the folder with --out DIR");
        withHost.ExitCode.ShouldBe(2);
        withHost.Err.ShouldContain("leave out --host");
    }

    // The checklist's open items, as the host's own report counts them: "- [ ]" lines.
    private static string Open(string folder, string host) =>
        File.ReadAllLines(Path.Combine(folder, $"{host}-2026-03.md")).Count(l => l.StartsWith("- [ ]", StringComparison.Ordinal)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
