using Ledger.Capture.Checks;
using Ledger.Core.Events;
using Ledger.Core.Validation;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Checks;

public sealed class SystemdCheckSpecs : IDisposable
{
    private readonly TempDirectory _bin = new("ledger-fake-bin");

    public void Dispose() => _bin.Dispose();

    [Fact]
    public async Task The_real_systemctl_is_asked_and_its_answer_reported_as_it_is()
    {
        // Arrange
        var check = new SystemdCheck("unit", TimeSpan.FromSeconds(10), "ledger-test-no-such-unit.service");

        // Act
        var outcome = await new CheckRunner().RunAsync(check);

        // Assert: what happens depends on the machine, and each case is reported for what it is.
        if (!File.Exists("/usr/bin/systemctl") && !File.Exists("/bin/systemctl"))
        {
            outcome.Status.ShouldBe(ValidationStatus.Error);
            outcome.Summary.ShouldBe("systemctl was not found on PATH");
        }
        else if (!Directory.Exists("/run/systemd/system"))
        {
            // A container without systemd as PID 1: systemctl prints no state, only why on stderr.
            outcome.Status.ShouldBe(ValidationStatus.Error);
            outcome.Summary.ShouldBe("systemctl could not tell the state of ledger-test-no-such-unit.service: System has not been booted with systemd as init system (PID 1). Can't operate.");
        }
        else
        {
            // A booted systemd reports a unit it does not know as inactive.
            outcome.Status.ShouldBe(ValidationStatus.Fail);
            outcome.Summary.ShouldBe("ledger-test-no-such-unit.service is inactive");
        }
    }

    [Fact]
    public async Task An_active_unit_passes()
    {
        // Arrange
        var runner = Runner(state: "active", exitCode: 0);

        // Act
        var outcome = await runner.RunAsync(new SystemdCheck("prometheus", TimeSpan.FromSeconds(10), "prometheus.service"));

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Pass);
        outcome.Summary.ShouldBe("prometheus.service is active");
        File.ReadAllText(Path.Combine(_bin.Path, "args")).ShouldBe("is-active\nprometheus.service\n");
    }

    [Fact]
    public async Task A_failed_unit_fails_naming_its_state()
    {
        // Arrange
        var runner = Runner(state: "failed", exitCode: 3);

        // Act
        var outcome = await runner.RunAsync(new SystemdCheck("prometheus", TimeSpan.FromSeconds(10), "prometheus.service"));

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Fail);
        outcome.Summary.ShouldBe("prometheus.service is failed");
        outcome.Findings.ShouldHaveSingleItem().ShouldBe(new Finding("prometheus.service", "is failed, expected active"));
    }

    [Fact]
    public async Task A_missing_systemctl_is_an_error()
    {
        // Arrange
        var runner = new CheckRunner(new CheckRunnerOptions { SearchPath = _bin.Path });

        // Act
        var outcome = await runner.RunAsync(new SystemdCheck("prometheus", TimeSpan.FromSeconds(10), "prometheus.service"));

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldBe("systemctl was not found on PATH");
    }

    // systemctl is-active prints the state on stdout and exits 0 only for "active".
    private CheckRunner Runner(string state, int exitCode)
    {
        var program = FakeProgram.Write(_bin.Path, "systemctl", $"""
            #!/bin/sh
            printf '%s\n' "$@" > "$(dirname "$0")/args"
            echo {state}
            exit {exitCode}
            """);
        return new CheckRunner(new CheckRunnerOptions { SystemctlProgram = program });
    }
}
