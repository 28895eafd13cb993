namespace Ledger.Core.Reports;

/// <summary>
/// A period's alerts as occurrences (<see cref="AlertOccurrences.Pair"/>).
/// </summary>
/// <param name="Occurrences">The firings of the period, each with its resolution if one came within the period.</param>
/// <param name="ResolvedFromBefore">Occurrences fired before the period and resolved within it.</param>
/// <param name="RepeatedResolutions">Resolved notifications that ended nothing: the alert was not firing (a repeat, or its firing is not recorded).</param>
/// <param name="Open">Every occurrence still firing at the end of the period, those fired before it included, oldest first.</param>
public sealed record AlertPairing(
    IReadOnlyList<AlertOccurrence> Occurrences,
    IReadOnlyList<AlertOccurrence> ResolvedFromBefore,
    int RepeatedResolutions,
    IReadOnlyList<AlertOccurrence> Open);
