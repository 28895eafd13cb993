using JasperFx;
using JasperFx.Events;
using Ledger.Core.Events;
using Marten;
using Weasel.Core;

namespace Ledger.Store;

/// <summary>The one place Marten is configured.</summary>
public static class MartenConfig
{
    public const string Schema = "ledger";

    /// <summary>Bump when the configuration below changes the database schema.</summary>
    public const int SchemaVersion = 3;

    public static DocumentStore Create(string connectionString, bool manageSchema)
    {
        return DocumentStore.For(o => Configure(o, connectionString, manageSchema));
    }

    internal static void Configure(StoreOptions o, string connectionString, bool manageSchema)
    {
        o.Connection(connectionString);
        o.DatabaseSchemaName = Schema;
        o.Events.DatabaseSchemaName = Schema;
        o.UseSystemTextJsonForSerialization(new System.Text.Json.JsonSerializerOptions(EventJson.Options), EnumStorage.AsString, Casing.CamelCase);

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
