using Ledger.Capture.Checks;
using Ledger.Core.Events;
using Ledger.Core.Validation;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Checks;

public sealed class NixosRebuildCheckSpecs : IDisposable
{
    // Shaped like nixos-rebuild: progress on stderr, the error last. It records its arguments and
    // working folder, and exits with the code written in "exit-code" next to it.
    private const string RecordingScript = """
        #!/bin/sh
        here="$(dirname "$0")"
        printf '%s\n' "$@" > "$here/args"
        pwd > "$here/cwd"
        echo "building the system configuration..." >&2
        code=0
        if [ -f "$here/exit-code" ]; then code=$(cat "$here/exit-code"); fi
        if [ "$code" != 0 ]; then
          echo 'trace: services.grafana.settings.security.admin_password = "hunter2";' >&2
          echo "error: flake 'git+file:///etc/nixos' does not provide attribute 'nixosConfigurations.\"mediabox\".config.system.build.toplevel'" >&2
          exit "$code"
        fi
        echo "activating the configuration..."
        echo "setting up /etc..."
        """;

    private readonly TempDirectory _bin = new("ledger-fake-bin");
    private readonly TempDirectory _repo = new("ledger-nixos");

    public void Dispose()
    {
        _bin.Dispose();
        _repo.Dispose();
    }

    [Fact]
    public async Task A_successful_rebuild_passes_and_runs_test_with_the_flake_in_the_repository()
    {
        // Arrange
        var program = FakeProgram.Write(_bin.Path, "nixos-rebuild", RecordingScript);
        var runner = new CheckRunner(new CheckRunnerOptions { NixosRebuildProgram = program });

        // Act
        var outcome = await runner.RunAsync(Check());

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Pass);
        outcome.Summary.ShouldBe("nixos-rebuild test --flake .#mediabox succeeded");
        File.ReadAllLines(Path.Combine(_bin.Path, "args")).ShouldBe(["test", "--flake", ".#mediabox"]);
        File.ReadAllText(Path.Combine(_bin.Path, "cwd")).Trim().ShouldBe(_repo.Path);
        // Standard output and error are read side by side, so only the order within each is certain.
        outcome.Output.ShouldNotBeNull().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ShouldBe(["building the system configuration...", "activating the configuration...", "setting up /etc..."], ignoreOrder: true);
        outcome.Duration.ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task The_program_is_looked_up_on_the_search_path()
    {
        // Arrange
        FakeProgram.Write(_bin.Path, "nixos-rebuild", RecordingScript);
        var runner = new CheckRunner(new CheckRunnerOptions { SearchPath = "/nonexistent:" + _bin.Path });

        // Act
        var outcome = await runner.RunAsync(Check() with { Flake = null, Mode = NixosRebuildMode.DryBuild });

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Pass);
        File.ReadAllLines(Path.Combine(_bin.Path, "args")).ShouldBe(["dry-build"]);
    }

    [Fact]
    public async Task A_failed_rebuild_fails_with_the_tail_of_its_output_redacted()
    {
        // Arrange
        var program = FakeProgram.Write(_bin.Path, "nixos-rebuild", RecordingScript);
        File.WriteAllText(Path.Combine(_bin.Path, "exit-code"), "1");
        var runner = new CheckRunner(new CheckRunnerOptions { NixosRebuildProgram = program });

        // Act
        var outcome = await runner.RunAsync(Check());

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Fail);
        outcome.Summary.ShouldBe("nixos-rebuild test --flake .#mediabox exited with code 1");
        var finding = outcome.Findings.ShouldHaveSingleItem();
        finding.Subject.ShouldBe("nixos-rebuild test --flake .#mediabox");
        finding.Message.ShouldEndWith("does not provide attribute 'nixosConfigurations.\"mediabox\".config.system.build.toplevel'");
        outcome.Output.ShouldNotBeNull().ShouldContain("error: flake 'git+file:///etc/nixos'");
        outcome.Output.ShouldNotContain("hunter2");
        finding.Message.ShouldNotContain("hunter2");
    }

    [Fact]
    public async Task A_hung_rebuild_is_killed_at_the_timeout_with_its_children_and_reported_as_an_error()
    {
        // Arrange
        var program = FakeProgram.Write(_bin.Path, "nixos-rebuild", """
            #!/bin/sh
            here="$(dirname "$0")"
            echo $$ > "$here/pid"
            echo "building the system configuration..."
            sleep 30 &
            echo $! > "$here/child-pid"
            wait
            """);
        var runner = new CheckRunner(new CheckRunnerOptions { NixosRebuildProgram = program });

        // Act
        var outcome = await runner.RunAsync(Check() with { Timeout = TimeSpan.FromSeconds(1) });

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldBe("timed out after 1s");
        outcome.Duration.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        outcome.Output.ShouldBe("building the system configuration...\n");
        outcome.Findings.ShouldHaveSingleItem().Message.ShouldStartWith("still running after 1s and killed");
        var pid = int.Parse(File.ReadAllText(Path.Combine(_bin.Path, "pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var child = int.Parse(File.ReadAllText(Path.Combine(_bin.Path, "child-pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        (await FakeProgram.IsGoneWithinAsync(pid, TimeSpan.FromSeconds(2))).ShouldBeTrue("the fake nixos-rebuild still runs");
        (await FakeProgram.IsGoneWithinAsync(child, TimeSpan.FromSeconds(2))).ShouldBeTrue("its sleep child still runs");
    }

    [Fact]
    public async Task A_missing_program_is_an_error()
    {
        // Arrange
        var runner = new CheckRunner(new CheckRunnerOptions { SearchPath = _bin.Path });

        // Act
        var outcome = await runner.RunAsync(Check());

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldBe("nixos-rebuild was not found on PATH");
    }

    [Fact]
    public async Task A_missing_configuration_folder_is_an_error()
    {
        // Arrange
        var program = FakeProgram.Write(_bin.Path, "nixos-rebuild", RecordingScript);
        var runner = new CheckRunner(new CheckRunnerOptions { NixosRebuildProgram = program });

        // Act
        var outcome = await runner.RunAsync(Check() with { Repo = "/nonexistent/nixos" });

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldBe("the configuration folder /nonexistent/nixos does not exist");
        File.Exists(Path.Combine(_bin.Path, "args")).ShouldBeFalse();
    }

    private NixosRebuildCheck Check() =>
        new("rebuild", TimeSpan.FromSeconds(30), NixosRebuildMode.Test, ".#mediabox", _repo.Path);
}
