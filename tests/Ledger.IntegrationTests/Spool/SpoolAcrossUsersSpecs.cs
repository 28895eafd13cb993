using System.Diagnostics;
using Ledger.IntegrationTests.Serve;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Spool;

/// <summary>
/// Issue 22 on NixOS's layout: the hook spools as root while the database is away, and the daemon's
/// user (here nobody, in the home's group through a setgid spool folder as the module makes it)
/// delivers, although root made the files and the lock under umask 022.
/// </summary>
public sealed class SpoolAcrossUsersSpecs(DatabaseFixture db) : IClassFixture<DatabaseFixture>, IDisposable
{
    private const string Closed = "Host=127.0.0.1;Port=1;Username=ledger;Database=ledger;Timeout=5";
    private const string OtherUser = "nobody";

    private readonly TempDirectory _home = new("ledger-spool-users");
    private readonly TempDirectory _bin = new("ledger-spool-bin");
    private readonly GitRepo _repo = new();
    private readonly string _host = "spool2u-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose()
    {
        _repo.Dispose();
        _bin.Dispose();
        _home.Dispose();
    }

    [OtherUserFact]
    public async Task Events_root_spooled_are_delivered_by_the_daemons_user_through_the_shared_group()
    {
        // Arrange: LEDGER_HOME, logs and spool belong to nobody's group, setgid, as tmpfiles makes them.
        var group = Output("id", "-gn", OtherUser);
        Run("chown", $"{OtherUser}:{group}", _home.Path);
        Run("chmod", "2770", _home.Path);
        foreach (var folder in new[] { "logs", "spool" })
        {
            Directory.CreateDirectory(Path.Combine(_home.Path, folder));
            Run("chown", $"{OtherUser}:{group}", Path.Combine(_home.Path, folder));
            Run("chmod", "2770", Path.Combine(_home.Path, folder));
        }

        Run("cp", "-a", AppContext.BaseDirectory.TrimEnd('/') + "/.", _bin.Path);
        Run("chmod", "-R", "a+rX", _bin.Path);
        _repo.Write("a.nix", "{ }\n");
        var sha = _repo.Commit("first");

        // Act: root (this process) records while the database is away, then nobody syncs.
        var spooled = await new CliRun(Closed, _home.Path, _host).RunAsync("record", "commit", "--repo", _repo.Path);
        var files = Directory.GetFiles(Path.Combine(_home.Path, "spool"), "*.json");
        var sync = RunAs("sync");

        // Assert
        spooled.ExitCode.ShouldBe(0, spooled.Err);
        files.ShouldHaveSingleItem();
        sync.Code.ShouldBe(0, sync.Output);
        sync.Output.ShouldContain("Delivered 1 spooled event");
        Directory.GetFiles(Path.Combine(_home.Path, "spool"), "*.json").ShouldBeEmpty();
        var stored = await db.ScalarAsync($"select count(*) from ledger.mt_events where data->>'sha' = '{sha}' and data->>'host' = '{_host}'");
        stored.ShouldBe(1L);
    }

    private (int Code, string Output) RunAs(params string[] args)
    {
        var psi = new ProcessStartInfo("runuser", ["-u", OtherUser, "--", "env", $"HOME={_home.Path}", $"DOTNET_CLI_HOME={_home.Path}", $"LEDGER_HOME={_home.Path}", $"LEDGER_HOST={_host}",
            $"LEDGER_DB={db.ConnectionString}", "dotnet", Path.Combine(_bin.Path, "ledger.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }

    private static string Output(params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(args[0], args[1..]) { RedirectStandardOutput = true })!;
        var text = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return text;
    }

    private static void Run(params string[] args)
    {
        using var p = Process.Start(args[0], args[1..])!;
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, string.Join(' ', args));
    }
}
