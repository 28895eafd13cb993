using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Core.Events;

namespace Ledger.Core.Tests;

/// <summary>
/// Every string of every event is redacted and made storable on its way to the database or the
/// screen (issue 15): free text such as purpose, notes, reasons, deploy messages and alert
/// annotations included, whichever command or endpoint built the event.
/// </summary>
public sealed class StoredTextSpecs
{
    private const string Secret = "hunter2-Zq8Lw3Xv";

    public static TheoryData<string> Aliases() => new(EventCatalogue.All.Select(d => d.Alias));

    /// <summary>The sample with every string value replaced by one that holds a password assignment and a NUL.</summary>
    private static (object Event, int Strings) Poisoned(Type type)
    {
        var node = JsonNode.Parse(JsonSerializer.Serialize(Samples.Of(type), type, EventJson.Options))!;
        int strings = 0;
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (key, child) in o.ToList())
                    {
                        if (child is JsonValue v && v.TryGetValue<string>(out var text) && !IsEnum(key))
                        {
                            o[key] = $"{text} password={Secret} \0tail";
                            strings++;
                        }
                        else
                        {
                            Walk(child);
                        }
                    }

                    break;
                case JsonArray a:
                    for (int i = 0; i < a.Count; i++)
                    {
                        if (a[i] is JsonValue v && v.TryGetValue<string>(out var text))
                        {
                            a[i] = $"{text} password={Secret} \0tail";
                            strings++;
                        }
                        else
                        {
                            Walk(a[i]);
                        }
                    }

                    break;
            }
        }

        Walk(node);
        return (JsonSerializer.Deserialize(node.ToJsonString(), type, EventJson.Options)!, strings);
    }

    // Enum-valued and time-valued properties cannot hold free text; a patch is redacted by the
    // capture before it is cut (A_patch_is_not_redacted_twice_but_loses_NUL_issue_15).
    private static bool IsEnum(string key) => key is "patch" or "kind" or "status" or "outcome" or "state" or "source" or "via" or "mode" or "tier" or "step" or "result"
        || key.EndsWith("At", StringComparison.Ordinal) || key is "timestamp" or "since" or "until" or "month";

    [Theory]
    [MemberData(nameof(Aliases))]
    public void Every_string_of_every_event_is_redacted_and_storable_issue_15(string alias)
    {
        var type = EventCatalogue.FindAlias(alias).ShouldNotBeNull().Type;
        object poisoned;
        int strings;
        try
        {
            (poisoned, strings) = Poisoned(type);
        }
        catch (JsonException)
        {
            // A property that only takes a fixed set of values: the sample as it is still must pass.
            (poisoned, strings) = (Samples.Of(type), 0);
        }

        var json = JsonSerializer.Serialize(poisoned, type, EventJson.Options);

        json.ShouldNotContain(Secret);
        json.ShouldNotContain("\\u0000");
        if (strings > 0)
        {
            json.ShouldContain("[REDACTED:");
            json.ShouldContain("\u2400tail");
        }
    }

    [Fact]
    public void Alert_label_names_keep_their_text_and_lose_only_NUL_issue_15()
    {
        var fired = Samples.All.OfType<AlertFired>().First();
        var labels = new Dictionary<string, string>(fired.Labels) { ["odd\0name"] = "token=abcdef0123456789abcdef" };

        var json = JsonSerializer.Serialize(fired with { Labels = labels }, EventJson.Options);

        json.ShouldContain("\"odd\u2400name\"");
        json.ShouldNotContain("abcdef0123456789abcdef");
    }

    [Fact]
    public void A_patch_is_not_redacted_twice_but_loses_NUL_issue_15()
    {
        // The capture redacts a patch whole before cutting it; the store only makes it storable.
        var file = Samples.ConfigEdited.Files[0] with { Patch = "+a = [REDACTED:0badc0de];\0\n" };

        var json = JsonSerializer.Serialize(file, EventJson.Options);

        json.ShouldContain("+a = [REDACTED:0badc0de];\u2400");
    }
}
