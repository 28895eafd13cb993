using System.CommandLine;
using Ledger.App.Recording;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Nix;
using Ledger.Core.Text;

namespace Ledger.Cli.Commands;

internal static class ShowCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var seq = new Argument<long>("seq") { Description = "Sequence number of the event" };
        var json = CommonOptions.Json();
        var command = new Command("show", "Show one event in full") { seq, json };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            await using var store = await ctx.OpenStoreAsync(ct);
            var target = r.GetValue(seq);
            var e = await store.GetAsync(target, ct)
                ?? throw new LedgerException($"There is no event #{target}. Find the number with 'ledger timeline'.");
            if (r.GetValue(json))
            {
                await ctx.Out.WriteLineAsync(EntryJson.Serialize(e, indented: true));
                return ExitCodes.Success;
            }

            var o = ctx.Out;
            await o.WriteLineAsync($"#{e.Seq}  {e.Kind}  {e.Title}");
            await o.WriteLineAsync($"time:   {e.Timestamp:yyyy-MM-dd HH:mm:ss zzz}");
            await o.WriteLineAsync($"host:   {e.Host}");
            await o.WriteLineAsync($"actor:  {e.Actor}");
            await o.WriteLineAsync($"stream: {e.StreamKey}");
            await o.WriteLineAsync();
            if (e.Data is ConfigEdited c)
            {
                await WriteChangeAsync(o, c);
            }
            else
            {
                await o.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(e.Data, e.Data.GetType(), EventJson.Indented));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task WriteChangeAsync(TextWriter o, ConfigEdited c)
    {
        await o.WriteLineAsync($"commit:  {c.Sha}");
        if (c.Parents.Count > 0)
        {
            await o.WriteLineAsync($"parents: {string.Join(' ', c.Parents)}");
        }

        await o.WriteLineAsync($"author:  {c.Author} <{c.AuthorEmail}>");
        await o.WriteLineAsync($"date:    {c.CommittedAt:yyyy-MM-dd HH:mm:ss zzz}");
        await o.WriteLineAsync($"repo:    {c.Repo}");
        await o.WriteLineAsync($"purpose: {c.Purpose}");
        if (c.Notes is not null)
        {
            await o.WriteLineAsync($"notes:   {c.Notes}");
        }

        if (c.Incomplete is not null)
        {
            await o.WriteLineAsync($"incomplete: {c.Incomplete}");
        }

        if (HostText.Touched(c.Hosts, c.Shared) is { } touched)
        {
            await o.WriteLineAsync($"hosts:   {touched}");
        }

        foreach (var i in c.FlakeInputs ?? [])
        {
            await o.WriteLineAsync($"input:   {FlakeInputText.Phrase(i)} ({i.OldRev ?? "-"} → {i.NewRev ?? "-"})");
        }

        if (c.FlakeLockProblem is not null)
        {
            await o.WriteLineAsync($"flake.lock: {c.FlakeLockProblem}");
        }

        await o.WriteLineAsync();
        foreach (var line in c.Message.TrimEnd().Split('\n'))
        {
            await o.WriteLineAsync("    " + line);
        }

        await o.WriteLineAsync();
        await o.WriteLineAsync($"{Plural.Of(c.Files.Count, "file")}, +{c.LinesAdded}/-{c.LinesRemoved}:");
        foreach (var f in c.Files)
        {
            var name = f.OldPath is null ? f.Path : $"{f.OldPath} -> {f.Path}";
            var detail = f.Binary ? "binary" : $"+{f.LinesAdded}/-{f.LinesRemoved}" + (f.Ranges.Count > 0 ? $" lines {string.Join(", ", f.Ranges)}" : "");
            detail += f.Note is null ? "" : $"; {f.Note}";
            await o.WriteLineAsync($"  {f.Kind.ToString().ToLowerInvariant(),-9} {name}  ({detail})");
        }

        foreach (var f in c.Files.Where(f => f.Patch is not null))
        {
            await o.WriteLineAsync();
            await o.WriteAsync(f.Patch);
        }
    }
}
