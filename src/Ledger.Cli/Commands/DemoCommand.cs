using System.CommandLine;
using Ledger.App.Demo;
using Ledger.Cli.Demo;

namespace Ledger.Cli.Commands;

internal static class DemoCommand
{
    public const string DemoHost = DemoStory.DemoHost;

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var dir = new Option<string?>("--dir") { Description = "Where to create the demo NixOS configuration repository (default: $LEDGER_HOME/demo/nixos-config)" };
        var command = new Command("demo", "Start the database, create a demo NixOS config repository, import it and show the timeline") { dir };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var o = ctx.Out;
            var folder = Path.GetFullPath(r.GetValue(dir) ?? Path.Combine(ctx.Home, "demo", "nixos-config"));

            await o.WriteLineAsync("== Ledger demo ==");
            await o.WriteLineAsync(ctx.ExplicitDb is null ? $"Database: embedded PostgreSQL under {ctx.Home}" : "Database: from --db / LEDGER_DB");
            await using var store = await ctx.OpenStoreAsync(ct);
            await o.WriteLineAsync($"          {store.Description}");

            var settings = new DemoSettings(ctx.Home, folder, ctx.Actor, ctx.Env, ctx.ResolveTimeZone(null), ctx.ExplicitDb is not null);
            return await DemoStory.RunAsync(store, settings, o, (s, host, t) => DemoAlerts.RunAsync(s, ctx, host, t), ct);
        });
        return command;
    }
}
