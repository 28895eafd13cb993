using Ledger.Core.Events;
using Ledger.Core.Snapshots;
using Ledger.Core.Validation;

namespace Ledger.Core.Tests;

public class GpuCheckJudgeSpecs
{
    private static GpuReading Gpu(int index, double? gpu, double? enc, double? dec) =>
        new(index, "NVIDIA L40S", $"GPU-{index}", gpu, 2, 1235, 46068, 54, 110.23, enc, dec, []);

    [Fact]
    public void No_gpu_fails_with_the_collectors_reason()
    {
        var outcome = GpuCheckJudge.Evaluate(new GpuCheck("gpu", TimeSpan.FromSeconds(10), null), [], "no NVIDIA GPU found (no libnvidia-ml.so.1 and no nvidia-smi on PATH)");

        outcome.Status.ShouldBe(ValidationStatus.Fail);
        outcome.Summary.ShouldBe("no NVIDIA GPU found");
        outcome.Findings.ShouldHaveSingleItem().Message.ShouldContain("no libnvidia-ml.so.1");
    }

    [Fact]
    public void A_present_gpu_passes_without_a_minimum()
    {
        var outcome = GpuCheckJudge.Evaluate(new GpuCheck("gpu", TimeSpan.FromSeconds(10), null), [Gpu(0, 0, 0, 0)], null);

        outcome.Status.ShouldBe(ValidationStatus.Pass);
        outcome.Summary.ShouldBe("GPU present (0: NVIDIA L40S)");
    }

    [Fact]
    public void Encoder_load_counts_toward_the_minimum_utilisation()
    {
        var outcome = GpuCheckJudge.Evaluate(new GpuCheck("gpu", TimeSpan.FromSeconds(10), 50), [Gpu(0, 9, 60, 0)], null);

        outcome.Status.ShouldBe(ValidationStatus.Pass);
        outcome.Summary.ShouldBe("GPU 0 (NVIDIA L40S) is 60% busy (minimum 50%)");
    }

    [Fact]
    public void An_idle_gpu_below_the_minimum_fails_and_names_its_figures()
    {
        var outcome = GpuCheckJudge.Evaluate(new GpuCheck("gpu", TimeSpan.FromSeconds(10), 5), [Gpu(0, 1, null, 0)], null);

        outcome.Status.ShouldBe(ValidationStatus.Fail);
        outcome.Summary.ShouldBe("no GPU is at least 5% busy");
        outcome.Findings.ShouldHaveSingleItem().Message.ShouldBe("gpu 1%, encoder n/a, decoder 0%; below 5%");
    }
}
