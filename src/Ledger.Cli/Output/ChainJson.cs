using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.Store.Chain;

namespace Ledger.Cli.Output;

/// <summary>The JSON that seal, verify and checkpoint print: camelCase, problem kinds in kebab-case.</summary>
internal static class ChainJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static string Serialize(object value) => JsonSerializer.Serialize(value, Options);

    public static object Head(ChainHead head) => new { seq = head.Seq, hash = head.Hash, events = head.Events };

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
