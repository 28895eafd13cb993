using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx;
using JasperFx.Events;
using Marten;
using Weasel.Core;

namespace Ledger.Store;

/// <summary>The one place Marten is configured.</summary>
public static class MartenConfig
{
    public const string Schema = "ledger";

    /// <summary>Bump when the configuration below changes the database schema.</summary>
    public const int SchemaVersion = 7;

    public static DocumentStore Create(string connectionString, bool manageSchema)
    {
        return DocumentStore.For(o =>
        {
            o.Connection(connectionString);
            Configure(o, manageSchema);
        });
    }

    /// <summary>A store over an existing data source (one connection pool shared with the caller).</summary>
    public static DocumentStore Create(NpgsqlDataSource dataSource, bool manageSchema)
    {
        return DocumentStore.For(o =>
        {
            o.Connection(dataSource);
            Configure(o, manageSchema);
        });
    }

    internal static void Configure(StoreOptions o, bool manageSchema)
    {
        o.DatabaseSchemaName = Schema;
        o.Events.DatabaseSchemaName = Schema;
        // Stored JSON must be exactly what EventJson prints (camelCase enum values included):
        // Marten adds its own enum converter (member names), so it is swapped for ours here.
        o.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, json =>
        {
            foreach (var c in json.Converters.Where(c => c is JsonStringEnumConverter).ToList())
            {
                json.Converters.Remove(c);
            }

            json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            json.Converters.Add(new StoredText());
            json.Encoder = EventJson.Options.Encoder;

            // Alert labels and annotations keep their keys exactly as Alertmanager sent them.
            json.DictionaryKeyPolicy = null;
        });

        // Stream keys are readable strings (see StreamKeys): a commit stream collides instead of duplicating.
        o.Events.StreamIdentity = StreamIdentity.AsString;

        // Timestamps come from .NET so that a recorded commit carries its commit date.
        o.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;

        foreach (var d in EventCatalogue.All)
        {
            o.Events.AddEventType(d.Type);
            o.Events.MapEventType(d.Type, d.Alias);
        }

        // Schema changes happen once, under a lock, in LedgerStore.OpenAsync; never implicitly on the hot path.
        o.AutoCreateSchemaObjects = manageSchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;
    }
}
