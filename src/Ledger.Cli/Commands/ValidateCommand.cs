using System.CommandLine;
using System.Text.Json;
using Ledger.App.Validation;
using Ledger.Capture.Git;
using Ledger.Core.Errors;
using Ledger.Core.Validation;

namespace Ledger.Cli.Commands;

internal static class ValidateCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var check = new Option<string[]>("--check", "-c") { Description = "Run only this check (repeatable; default: all)" };
        var config = new Option<string?>("--config") { Description = "The checklist (default: $LEDGER_HOME/checks.json)" };
        var example = new Option<bool>("--example-config") { Description = "Print a complete example checklist and exit" };
        var parseOnly = new Option<bool>("--parse-only")
        {
            Description = "Only read the checklist: print each check's name and kind and exit 0, or exit 2 naming the bad field; runs nothing and opens no database",
        };
        var scope = RepoTarget.Create("The configuration repository whose HEAD is the commit these checks validate");
        var json = CommonOptions.Json();
        var command = new Command("validate", "Run the validation checklist and record one validation event per check (exit 0 all passed, 1 any failed, 2 could not run)")
        {
            check, config, example, parseOnly, scope.Repo, scope.Host, json,
        };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            if (r.GetValue(example))
            {
                await ctx.Out.WriteAsync(Checklist.Example);
                return ExitCodes.Success;
            }

            var path = Path.GetFullPath(r.GetValue(config) ?? Path.Combine(ctx.Home, "checks.json"));
            var checks = Validator.Load(path).Select(r.GetValue(check) ?? []);
            if (r.GetValue(parseOnly))
            {
                await WriteParsedAsync(ctx.Out, path, checks, r.GetValue(json));
                return ExitCodes.Success;
            }

            var hostName = scope.HostOf(r, ctx);
            await using var store = await ctx.OpenStoreAsync(ct);
            var run = await Validator.RunAsync(store, checks, hostName, ctx.Actor, ctx.Programs, ConfigCommit.TryHead(r.GetValue(scope.Repo)!), r.GetValue(json) ? null : ctx.StatusOut, ct);
            if (r.GetValue(json))
            {
                await run.Recorded.WriteJsonAsync(ctx.Out);
            }

            return run.ExitCode;
        });
        return command;
    }

    /// <summary>
    /// What <c>--parse-only</c> prints: the checks that would run, in order, as text or as
    /// <c>[{"name": ..., "kind": ...}]</c>. The NixOS module and CI use it to check a generated checklist.
    /// </summary>
    private static async Task WriteParsedAsync(TextWriter output, string path, IReadOnlyList<CheckDefinition> checks, bool json)
    {
        if (json)
        {
            var rows = checks.Select(c => new Dictionary<string, string> { ["name"] = c.Name, ["kind"] = c.Kind });
            await output.WriteLineAsync(JsonSerializer.Serialize(rows));
            return;
        }

        await output.WriteLineAsync($"{path}: {checks.Count} check{(checks.Count == 1 ? "" : "s")}, parsed without running them");
        var width = checks.Max(c => c.Name.Length);
        foreach (var c in checks)
        {
            await output.WriteLineAsync($"  {c.Name.PadRight(width)}  {c.Kind}");
        }
    }
}
