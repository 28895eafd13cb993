using Ledger.Core.Text;
using Ledger.Core.Validation;

namespace Ledger.Capture.Checks;

/// <summary>
/// What <see cref="CheckRunner"/> needs from its caller: the collectors for the kinds it does
/// not evaluate itself, and where to find programs (tests point these at faithful fakes).
/// </summary>
public sealed record CheckRunnerOptions
{
    /// <summary>Evaluates a <c>containers</c> check (the podman collector). Without it such a check is an error.</summary>
    public Func<ContainersCheck, CancellationToken, Task<CheckOutcome>>? Containers { get; init; }

    /// <summary>Evaluates a <c>gpu</c> check (the GPU collector). Without it such a check is an error.</summary>
    public Func<GpuCheck, CancellationToken, Task<CheckOutcome>>? Gpu { get; init; }

    /// <summary>A program name looked up on <see cref="SearchPath"/>, or a path to it.</summary>
    public string NixosRebuildProgram { get; init; } = "nixos-rebuild";

    /// <summary>A program name looked up on <see cref="SearchPath"/>, or a path to it.</summary>
    public string SystemctlProgram { get; init; } = "systemctl";

    /// <summary>The folders to look programs up in, like PATH; <c>null</c> reads this process's PATH.</summary>
    public string? SearchPath { get; init; }

    /// <summary>How much output an outcome keeps; longer output is cut with a marker.</summary>
    public int MaxOutputChars { get; init; } = OutputLimit.DefaultMaxChars;

    /// <summary>Applied to the summary, the findings and the output of every outcome.</summary>
    public Redactor Redactor { get; init; } = Redactor.Default;

    /// <summary>
    /// How long a runner that was told to stop may take to kill its process and report what it
    /// has, before the check is reported as timed out without it.
    /// </summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(5);
}
