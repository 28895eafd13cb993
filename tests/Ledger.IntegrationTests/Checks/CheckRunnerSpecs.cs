using Ledger.Capture.Checks;
using Ledger.Core.Events;
using Ledger.Core.Validation;

namespace Ledger.IntegrationTests.Checks;

public sealed class CheckRunnerSpecs
{
    private static readonly ContainersCheck Containers = new("containers", TimeSpan.FromSeconds(10), ["jellyfin", "sonarr", "radarr"], 3);
    private static readonly GpuCheck Gpu = new("gpu", TimeSpan.FromSeconds(1), null);

    [Fact]
    public async Task The_containers_check_is_evaluated_by_the_collector_the_caller_supplies()
    {
        // Arrange
        ContainersCheck? asked = null;
        var runner = new CheckRunner(new CheckRunnerOptions
        {
            Containers = (check, _) =>
            {
                asked = check;
                return Task.FromResult(CheckOutcome.Fail("sonarr restarted 7 times", [new Finding("sonarr", "restarted 7 times, more than 3")]));
            },
        });

        // Act
        var outcome = await runner.RunAsync(Containers);

        // Assert
        asked.ShouldBe(Containers);
        outcome.Status.ShouldBe(ValidationStatus.Fail);
        outcome.Findings.ShouldBe([new Finding("sonarr", "restarted 7 times, more than 3")]);
        outcome.Duration.ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task A_kind_without_a_collector_is_an_error_not_a_crash()
    {
        // Act
        var outcome = await new CheckRunner().RunAsync(Gpu);

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldBe("no gpu collector is available to this ledger");
    }

    [Fact]
    public async Task A_collector_that_ignores_the_timeout_is_abandoned_and_reported_as_timed_out()
    {
        // Arrange
        var runner = new CheckRunner(new CheckRunnerOptions
        {
            StopGrace = TimeSpan.FromMilliseconds(200),
            Gpu = async (_, _) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(60), CancellationToken.None);
                return CheckOutcome.Pass("too late");
            },
        });

        // Act
        var outcome = await runner.RunAsync(Gpu);

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldBe("timed out after 1s");
        outcome.Duration.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_collector_that_throws_is_an_error_naming_what_went_wrong()
    {
        // Arrange
        var runner = new CheckRunner(new CheckRunnerOptions
        {
            Gpu = (_, _) => throw new DllNotFoundException("libnvidia-ml.so.1 not found"),
        });

        // Act
        var outcome = await runner.RunAsync(Gpu);

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldBe("could not run the gpu check: libnvidia-ml.so.1 not found");
    }

    [Fact]
    public async Task Cancelling_the_run_is_not_reported_as_a_result()
    {
        // Arrange
        using var cancel = new CancellationTokenSource();
        var runner = new CheckRunner(new CheckRunnerOptions
        {
            Gpu = async (_, token) =>
            {
                await cancel.CancelAsync();
                await Task.Delay(Timeout.Infinite, token);
                return CheckOutcome.Pass("unreachable");
            },
        });

        // Act & Assert
        await Should.ThrowAsync<OperationCanceledException>(() => runner.RunAsync(Gpu with { Timeout = TimeSpan.FromSeconds(30) }, cancel.Token));
    }

    [Fact]
    public async Task Every_outcome_is_redacted_and_cut_to_the_output_limit()
    {
        // Arrange
        var output = "GPU 0: NVIDIA L40S\nexporter token=s3cr3t-t0ken\n" + new string('x', 500);
        var runner = new CheckRunner(new CheckRunnerOptions
        {
            MaxOutputChars = 100,
            Gpu = (_, _) => Task.FromResult(CheckOutcome.Fail("token=s3cr3t-t0ken rejected", [new Finding("http://admin:hunter2@127.0.0.1:9835", "token=s3cr3t-t0ken")], output)),
        });

        // Act
        var outcome = await runner.RunAsync(Gpu);

        // Assert
        var everything = string.Join('\n', outcome.Summary, outcome.Output, outcome.Findings[0].Subject, outcome.Findings[0].Message);
        everything.ShouldNotContain("s3cr3t-t0ken");
        everything.ShouldNotContain("hunter2");
        outcome.OutputTruncated.ShouldBeTrue();
        outcome.Output.ShouldNotBeNull().ShouldStartWith("GPU 0: NVIDIA L40S\n");
        outcome.Output.ShouldContain("[... output truncated by Ledger: ");
    }

    [Fact]
    public async Task The_outcome_becomes_the_event_the_cli_appends()
    {
        // Arrange
        var runner = new CheckRunner(new CheckRunnerOptions { Containers = (_, _) => Task.FromResult(CheckOutcome.Pass("3 containers running")) });

        // Act
        var run = (await runner.RunAsync(Containers)).ToValidationRun(Containers, "mediabox", "root", "3f2a9c1", "run-7");

        // Assert
        run.Check.ShouldBe("containers");
        run.CheckKind.ShouldBe("containers");
        run.Status.ShouldBe(ValidationStatus.Pass);
        run.Summary.ShouldBe("3 containers running");
        run.ConfigCommit.ShouldBe("3f2a9c1");
        run.RunId.ShouldBe("run-7");
    }
}
