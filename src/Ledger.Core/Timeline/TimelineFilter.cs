using Ledger.Core.Errors;
using Ledger.Core.Events;

namespace Ledger.Core.Timeline;

/// <summary>
/// What the TUI's <c>/</c> prompt understands: <c>kind:K</c> (repeatable), <c>host:H</c> (what
/// can change H, as <c>timeline --affects</c>),
/// <c>since:DATE</c>, <c>until:DATE</c> and free text (searched in the payload, like
/// <c>timeline --grep</c>). <see cref="Text"/> is the free text that <c>n</c>/<c>N</c> look for.
/// </summary>
public sealed record TimelineFilter(TimelineQuery Query, string? Text, string Source)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Source);

    /// <summary>Parses <paramref name="input"/> on top of the screen's <paramref name="baseQuery"/> (its host).</summary>
    public static TimelineFilter Parse(string input, TimelineQuery baseQuery, TimeZoneInfo zone)
    {
        var query = baseQuery with { BeforeSeq = null };
        var kinds = new List<string>();
        var words = new List<string>();
        foreach (var token in input.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = token.IndexOf(':', StringComparison.Ordinal);
            var key = colon > 0 ? token[..colon].ToLowerInvariant() : "";
            var value = colon > 0 ? token[(colon + 1)..] : "";
            switch (key)
            {
                case "kind" when value.Length > 0:
                    foreach (var k in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!EventCatalogue.Kinds.Contains(k, StringComparer.Ordinal))
                        {
                            throw new LedgerException($"Unknown kind '{k}': use one of {string.Join(", ", EventCatalogue.Kinds)}.");
                        }

                        kinds.Add(k);
                    }

                    break;
                case "host" when value.Length > 0:
                    query = query with { Host = null, Affects = value };
                    break;
                case "since" when value.Length > 0:
                    query = query with { Since = DateArgument.Parse(value, "since:", zone) };
                    break;
                case "until" when value.Length > 0:
                    query = query with { Until = DateArgument.Parse(value, "until:", zone, endOfDay: true) };
                    break;
                default:
                    words.Add(token);
                    break;
            }
        }

        var text = words.Count > 0 ? string.Join(' ', words) : null;
        if (kinds.Count > 0)
        {
            query = query with { Kinds = kinds.Distinct(StringComparer.Ordinal).ToArray() };
        }

        return new TimelineFilter(query with { Grep = text }, text, input.Trim());
    }
}
