using System.Runtime.InteropServices;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests;

/// <summary>
/// src/Ledger.Cli/ledger.sh, the published <c>ledger</c>: <c>import-git</c> and <c>record commit</c>
/// go straight to ledger-hook (no .NET start-up first), everything else and everything ledger-hook
/// hands back to ledger-cli, with the arguments exactly as given. The programs beside it are
/// stand-ins that print who ran and each argument on a line of its own.
/// </summary>
public sealed class FrontDoorSpecs : IDisposable
{
    private readonly TempDirectory _dir = new("ledger-door");

    private readonly string _door;

    public FrontDoorSpecs()
    {
        _door = Path.Combine(_dir.Path, "ledger");
        File.Copy(Path.Combine(Checkout.Root, "src", "Ledger.Cli", "ledger.sh"), _door);
        File.SetUnixFileMode(_door, (UnixFileMode)0b111_101_101);
        foreach (var program in new[] { "ledger-cli", "ledger-hook" })
        {
            StandIn(_dir.Path, program, $"echo {program}; for a in \"$@\"; do echo \"[$a]\"; done; exit 7");
        }
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Which program this machine's processor lets the door use for the hook's two commands (x86-64-v2 on x86-64).</summary>
    private static string HookHere =>
        RuntimeInformation.ProcessArchitecture != Architecture.X64 || File.ReadAllText("/proc/cpuinfo").Contains(" sse4_2", StringComparison.Ordinal)
            ? "ledger-hook"
            : "ledger-cli";

    [Fact]
    public async Task Import_git_and_record_commit_go_to_ledger_hook_and_every_other_command_to_ledger_cli()
    {
        // Act
        var import = await RunAsync(_door, [], "import-git", "--repo", "/etc/nixos");
        var record = await RunAsync(_door, [], "record", "commit", "HEAD", "--repo", "/etc/nixos");
        var dbFirst = await RunAsync(_door, [], "--db", "Host=db;Username=a b", "import-git");
        var dbRecord = await RunAsync(_door, [], "--db", "Host=db", "record", "commit");
        var backup = await RunAsync(_door, [], "record", "backup", "--tool", "restic");
        var timeline = await RunAsync(_door, [], "timeline");
        var bare = await RunAsync(_door, []);
        var importLike = await RunAsync(_door, [], "import-gitx");
        var hookInEnvironment = await RunAsync(_door, new() { ["hook"] = "1" }, "timeline");

        // Assert
        import.ShouldBe((7, $"{HookHere}\n[import-git]\n[--repo]\n[/etc/nixos]\n"));
        record.ShouldBe((7, $"{HookHere}\n[record]\n[commit]\n[HEAD]\n[--repo]\n[/etc/nixos]\n"));
        dbFirst.ShouldBe((7, $"{HookHere}\n[--db]\n[Host=db;Username=a b]\n[import-git]\n"));
        dbRecord.ShouldBe((7, $"{HookHere}\n[--db]\n[Host=db]\n[record]\n[commit]\n"));
        backup.ShouldBe((7, "ledger-cli\n[record]\n[backup]\n[--tool]\n[restic]\n"));
        timeline.ShouldBe((7, "ledger-cli\n[timeline]\n"));
        bare.ShouldBe((7, "ledger-cli\n"));
        importLike.ShouldBe((7, "ledger-cli\n[import-gitx]\n"));
        hookInEnvironment.ShouldBe((7, "ledger-cli\n[timeline]\n"), "a variable of the caller's does not steer the door");
    }

    [Fact]
    public async Task What_ledger_hook_hands_back_goes_to_ledger_cli_with_every_argument_as_it_was()
    {
        // Act: LEDGER_FROM_HOOK is what ledger-hook sets for the ledger it hands a command to.
        var handedBack = await RunAsync(_door, new() { ["LEDGER_FROM_HOOK"] = "1" }, "import-git", "--repo", "/srv/my config", "", "it's \"quoted\" $HOME *");

        // Assert
        handedBack.ShouldBe((7, "ledger-cli\n[import-git]\n[--repo]\n[/srv/my config]\n[]\n[it's \"quoted\" $HOME *]\n"));
    }

    [Fact]
    public async Task Through_a_symbolic_link_elsewhere_the_door_finds_the_programs_beside_itself()
    {
        // Arrange: ledger linked into a bin folder, as on PATH.
        using var bin = new TempDirectory("ledger-bin");
        var link = Path.Combine(bin.Path, "ledger");
        File.CreateSymbolicLink(link, _door);

        // Act
        var import = await RunAsync(link, [], "import-git");
        var status = await RunAsync(link, [], "db", "status");

        // Assert
        import.ShouldBe((7, $"{HookHere}\n[import-git]\n"));
        status.ShouldBe((7, "ledger-cli\n[db]\n[status]\n"));
    }

    [Fact]
    public async Task On_an_x86_64_processor_without_sse4_2_ledger_cli_runs_the_hooks_commands_too()
    {
        // Arrange: uname says x86-64 and nothing in /proc/cpuinfo says sse4_2 (a grep that finds nothing).
        using var tools = new TempDirectory("ledger-tools");
        StandIn(tools.Path, "uname", "echo x86_64");
        StandIn(tools.Path, "grep", "exit 1");
        var older = new Dictionary<string, string?> { ["PATH"] = $"{tools.Path}:{Environment.GetEnvironmentVariable("PATH")}" };

        // Act
        var import = await RunAsync(_door, older, "import-git");
        var record = await RunAsync(_door, older, "record", "commit");

        // Assert
        import.ShouldBe((7, "ledger-cli\n[import-git]\n"));
        record.ShouldBe((7, "ledger-cli\n[record]\n[commit]\n"));
    }

    [Fact]
    public async Task Without_ledger_hook_beside_it_everything_goes_to_ledger_cli_and_without_ledger_cli_it_says_what_is_missing()
    {
        // Arrange
        File.Delete(Path.Combine(_dir.Path, "ledger-hook"));

        // Act
        var import = await RunAsync(_door, [], "import-git");
        File.Delete(Path.Combine(_dir.Path, "ledger-cli"));
        var missing = await CliProcess.RunProgramAsync(_door, new Dictionary<string, string?>(), "timeline");

        // Assert
        import.ShouldBe((7, "ledger-cli\n[import-git]\n"));
        missing.ExitCode.ShouldBe(2);
        missing.Out.ShouldBeEmpty();
        missing.Err.ShouldContain($"{Path.Combine(_dir.Path, "ledger-cli")} is missing");
        missing.Err.ShouldContain("Publish Ledger again");
    }

    private static void StandIn(string folder, string name, string body)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    private static async Task<(int Code, string Out)> RunAsync(string program, Dictionary<string, string?> env, params string[] args)
    {
        var result = await CliProcess.RunProgramAsync(program, env, args);
        result.Err.ShouldBeEmpty();
        return (result.ExitCode, result.Out);
    }
}
