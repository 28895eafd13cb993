using Ledger.App;
using Ledger.Capture.Processes;
using Ledger.Cli.Tui;
using Ledger.Cli.Tui.ViewModels;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Checks;
using Ledger.IntegrationTests.Support;
using Ledger.Store;

namespace Ledger.IntegrationTests.Tui;

/// <summary>
/// A small real configuration history for the TUI tests: a git repository of three commits (one
/// message carries an escape sequence), optionally on top of thousands of generated ones, imported for one host, plus a validation of the middle commit,
/// and a fake nixos-rebuild that succeeds.
/// </summary>
internal sealed class TuiHistory : IDisposable
{
    private readonly TempDirectory _bin = new("ledger-tui-bin");

    private TuiHistory(string host)
    {
        Host = host;
        Rebuild = FakeProgram.Write(_bin.Path, "nixos-rebuild", "#!/bin/sh\necho 'building the system configuration...'\nexit 0\n");
    }

    public string Host { get; }

    public GitRepo Repo { get; } = new();

    public TempDirectory Home { get; } = new("ledger-tui-home");

    public string Rebuild { get; }

    public string NoProfile => Path.Combine(_bin.Path, "no-profile");

    public string GpuSha { get; private set; } = "";

    public long GpuSeq { get; private set; }

    public long FirstSeq { get; private set; }

    public IReadOnlyDictionary<string, string?> Env => new Dictionary<string, string?>
    {
        ["LEDGER_NIXOS_REBUILD"] = Rebuild,
        ["LEDGER_SYSTEM_PROFILE"] = NoProfile,
    };

    /// <param name="generated">Commits of a generated NixOS history (bench/make-nixos-history.py) to start from, before the three.</param>
    public static async Task<TuiHistory> CreateAsync(DatabaseFixture db, string host, int generated = 0)
    {
        var h = new TuiHistory(host);
        if (generated > 0)
        {
            await GeneratedHistory.WriteAsync(h.Repo.Path, generated, 11);
        }

        h.Repo.Write("configuration.nix", "{ imports = [ ./media.nix ]; }\n");
        h.Repo.Write("media.nix", "{ services.jellyfin.enable = true; }\n");
        h.Repo.Commit("Known good media box");
        h.Repo.Write("gpu.nix", "{ hardware.nvidia.open = false;\n  hardware.nvidia.modesetting.enable = true; }\n");
        h.Repo.Write("configuration.nix", "{ imports = [ ./media.nix ./gpu.nix ]; }\n");
        h.GpuSha = h.Repo.Commit("Enable the NVIDIA driver for transcoding\n\nNeeded by jellyfin.");
        h.Repo.Write("media.nix", "{ services.jellyfin.enable = false; }\n");
        h.Repo.Commit("Stop jellyfin \u001b[2J\u001b]0;owned\u0007 for now");
        var run = await new CliRun(db.ConnectionString, h.Home.Path, host).RunAsync("import-git", "--repo", h.Repo.Path);
        run.ExitCode.ShouldBe(0, run.Err);
        var edits = await db.Store.TimelineAsync(new TimelineQuery { Host = host, Kinds = ["config-edit"], Limit = null });
        h.GpuSeq = edits.Single(e => e.Title.Contains("NVIDIA", StringComparison.Ordinal)).Seq;
        h.FirstSeq = edits.Single(e => e.Title.Contains("Known good", StringComparison.Ordinal)).Seq;
        await db.Store.AppendAsync(new NewEvent(
            StreamKeys.Validations(host),
            new ValidationRun(host, "admin", "gpu", "gpu", ValidationStatus.Pass, 12, "GPU present", [], "nvidia ok", false, h.GpuSha)));
        return h;
    }

    public TuiServices Services(LedgerStore store, KeyMap? keys = null)
    {
        var env = Env;
        var programs = Programs.FromEnvironment(n => env.TryGetValue(n, out var v) ? v : null);
        return new TuiServices(
            store,
            Host,
            null,
            TimeZoneInfo.Utc,
            keys ?? KeyMap.Default,
            (host, progress) => new OperationContext(store, host, "admin", programs, Path.Combine(Home.Path, "checks.json"), progress, _ => null),
            "admin",
            Host);
    }

    public void Dispose()
    {
        Repo.Dispose();
        Home.Dispose();
        _bin.Dispose();
    }
}
