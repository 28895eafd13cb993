using Ledger.App.Rendering;
using Ledger.Core.Reports;
using Ledger.Store;
using Ledger.Store.Projections;

namespace Ledger.App.ChangeDocs;

/// <summary>Renders every change doc of a host and its INDEX.md.</summary>
internal static class ChangeDocSet
{
    public static async Task<IReadOnlyList<(string Name, string Content)>> RenderAsync(LedgerStore store, string host, TimeZoneInfo zone, Templates templates, CancellationToken ct)
    {
        var changes = new List<ChangeRecord>();
        await foreach (var c in store.Changes.ReadAsync(host, ct: ct))
        {
            changes.Add(c);
        }

        var names = ChangeDocBuilder.Names(changes, zone);
        var files = new List<(string, string)>(changes.Count + 1);
        for (int i = 0; i < changes.Count; i++)
        {
            var model = ChangeDocBuilder.Model(changes[i], names[i], zone);
            files.Add((names[i], templates.Render(Templates.ChangeDoc, new Dictionary<string, object?> { ["change"] = model })));
        }

        var index = ChangeDocBuilder.Index(host, zone, changes, names);
        files.Add((ChangeDocNames.Index, templates.Render(Templates.Index, new Dictionary<string, object?> { ["index"] = index })));
        return files;
    }
}
