using System.Text.Json.Serialization;

namespace Ledger.Store.Spool;

/// <summary>
/// The spool file's serialisation metadata, generated at compile time: ledger-hook (Native AOT)
/// writes spool files too. The options (camelCase, a missing or null field an error when
/// reading) are <see cref="EventSpool"/>'s.
/// </summary>
[JsonSerializable(typeof(SpoolEntry))]
internal sealed partial class SpoolJsonContext : JsonSerializerContext;
