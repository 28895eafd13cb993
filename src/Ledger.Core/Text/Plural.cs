using System.Globalization;

namespace Ledger.Core.Text;

/// <summary>A count with its noun in the right number: "1 event", "2 events", "1 firing".</summary>
public static class Plural
{
    /// <summary>The count and the noun, with <paramref name="plural"/> (or the noun and "s") unless the count is one.</summary>
    public static string Of(long count, string noun, string? plural = null) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : plural ?? noun + "s");
}
