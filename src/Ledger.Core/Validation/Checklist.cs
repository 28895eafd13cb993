using Ledger.Core.Errors;

namespace Ledger.Core.Validation;

/// <summary>
/// The validation checklist (checks.json): what <c>ledger validate</c> runs after a change.
/// The format is JSON with <c>//</c> comments allowed; see <see cref="Example"/>.
/// </summary>
public sealed class Checklist
{
    internal Checklist(string sourceName, IReadOnlyList<CheckDefinition> checks)
    {
        SourceName = sourceName;
        Checks = checks;
    }

    /// <summary>Where the checklist came from (a path), as used in error messages.</summary>
    public string SourceName { get; }

    /// <summary>The checks in the order they are listed; never empty.</summary>
    public IReadOnlyList<CheckDefinition> Checks { get; }

    /// <summary>A complete checklist for a media/monitoring server, using every kind.</summary>
    public static string Example => ChecklistExample.Json;

    /// <summary>
    /// Reads a checklist. Throws <see cref="LedgerException"/> (exit code 2) naming the source,
    /// the check (#1 is the first) and the field that is wrong, missing or unknown.
    /// </summary>
    public static Checklist Parse(string json, string sourceName) => ChecklistReader.Read(json, sourceName);

    /// <summary>How long a check of <paramref name="kind"/> may run when it sets no <c>timeoutSeconds</c>.</summary>
    public static TimeSpan DefaultTimeout(string kind) =>
        TimeSpan.FromSeconds(kind == CheckKinds.NixosRebuild ? 60 : 10);

    /// <summary>
    /// The checks named by <c>--check</c>, in checklist order (names compare ignoring case);
    /// every check when <paramref name="names"/> is empty. An unknown name throws, listing the names.
    /// </summary>
    public IReadOnlyList<CheckDefinition> Select(IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            return Checks;
        }

        foreach (var name in names)
        {
            if (!Checks.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                var suggestion = NearestName.Suggest(name, Checks.Select(c => c.Name)) is { } s ? $" (did you mean \"{s}\"?)" : "";
                throw new LedgerException(
                    $"{SourceName}: no check named \"{name}\"{suggestion}; checks are: {string.Join(", ", Checks.Select(c => c.Name))}");
            }
        }

        return Checks.Where(c => names.Contains(c.Name, StringComparer.OrdinalIgnoreCase)).ToList();
    }
}
