using System.Globalization;
using Ledger.Core.Events;
using Ledger.Core.Validation;

namespace Ledger.Core.Snapshots;

/// <summary>The verdict of the <c>gpu</c> check on what the collector read.</summary>
public static class GpuCheckJudge
{
    /// <param name="unavailable">The collector's reason when it found no GPU at all; null when it read some.</param>
    public static CheckOutcome Evaluate(GpuCheck check, IReadOnlyList<GpuReading> gpus, string? unavailable)
    {
        if (unavailable is not null || gpus.Count == 0)
        {
            return CheckOutcome.Fail(
                "no NVIDIA GPU found",
                [new Finding("gpu", unavailable ?? "the driver reports no GPU")]);
        }

        var names = string.Join(", ", gpus.Select(g => $"{g.Index}: {g.Name}"));
        if (check.MinUtilizationPercent is not { } min)
        {
            return CheckOutcome.Pass(gpus.Count == 1 ? $"GPU present ({names})" : $"{gpus.Count} GPUs present ({names})");
        }

        // Transcoding shows on the encoder and decoder as much as on the 3D engine.
        static double Busiest(GpuReading g) => new[] { g.UtilizationGpuPercent, g.EncoderPercent, g.DecoderPercent }.Max() ?? 0;
        if (gpus.Any(g => Busiest(g) >= min))
        {
            var top = gpus.MaxBy(Busiest)!;
            return CheckOutcome.Pass(string.Create(CultureInfo.InvariantCulture, $"GPU {top.Index} ({top.Name}) is {Busiest(top):0.#}% busy (minimum {min:0.#}%)"));
        }

        return CheckOutcome.Fail(
            string.Create(CultureInfo.InvariantCulture, $"no GPU is at least {min:0.#}% busy"),
            gpus.Select(g => new Finding(
                $"GPU {g.Index} ({g.Name})",
                string.Create(CultureInfo.InvariantCulture, $"gpu {Pct(g.UtilizationGpuPercent)}, encoder {Pct(g.EncoderPercent)}, decoder {Pct(g.DecoderPercent)}; below {min:0.#}%")))
            .ToArray());
    }

    private static string Pct(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.#}%") : "n/a";
}
