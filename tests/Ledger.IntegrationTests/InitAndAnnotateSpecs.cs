using System.Diagnostics;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests;

public sealed class InitAndAnnotateSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-home");
    private readonly GitRepo _repo = new();

    public InitAndAnnotateSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _repo.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task Init_registers_the_repository_and_installs_an_executable_post_commit_hook()
    {
        _repo.Write("a.nix", "{ }\n");
        _repo.Commit("One");
        var cli = new CliRun(_db.ConnectionString, _home.Path, "init-host");

        var run = await cli.RunAsync("init", "--repo", _repo.Path, "--hooks");

        run.ExitCode.ShouldBe(0, run.Err);
        var hook = Path.Combine(_repo.Path, ".git", "hooks", "post-commit");
        var script = await File.ReadAllTextAsync(hook);
        script.ShouldStartWith("#!/bin/sh");
        script.ShouldContain("record commit \"$sha\"");
        script.ShouldContain("curl -sS --fail");
        script.ShouldContain("'http://127.0.0.1:9977/record/commit'");
        script.ShouldContain("--host 'init-host'");
        (File.GetUnixFileMode(hook) & UnixFileMode.UserExecute).ShouldBe(UnixFileMode.UserExecute);
        var registered = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "init-host", Kinds = ["repository"] })).ShouldHaveSingleItem();
        ((RepositoryRegistered)registered.Data).HookInstalled.ShouldBeTrue();

        // Run through dotnet (as here, and under 'dotnet run'), the hook is tied to this build: said so.
        run.Err.ShouldContain($"ledger: warning: The hook runs the build at {Path.Combine(AppContext.BaseDirectory, "ledger.dll")} through dotnet");
        run.Err.ShouldContain("publish Ledger");
    }

    [Fact]
    public async Task Init_leaves_a_foreign_post_commit_hook_alone()
    {
        _repo.Write("a.nix", "{ }\n");
        _repo.Commit("One");
        var hook = Path.Combine(_repo.Path, ".git", "hooks", "post-commit");
        await File.WriteAllTextAsync(hook, "#!/bin/sh\necho mine\n");
        var cli = new CliRun(_db.ConnectionString, _home.Path, "foreign-host");

        var run = await cli.RunAsync("init", "--repo", _repo.Path, "--hooks");

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("was not written by Ledger");
        (await File.ReadAllTextAsync(hook)).ShouldBe("#!/bin/sh\necho mine\n");
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = "foreign-host" })).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_installed_hook_records_a_real_commit_through_the_ledger_binary()
    {
        var ledgerDll = Path.Combine(AppContext.BaseDirectory, "ledger.dll");
        File.Exists(ledgerDll).ShouldBeTrue();
        _repo.Write("a.nix", "{ }\n");
        _repo.Commit("One");

        // The hook must call a real ledger process; write it the way init does for a dotnet-hosted ledger.
        var hook = Path.Combine(_repo.Path, ".git", "hooks", "post-commit");
        Ledger.Capture.Files.ScriptFile.Write(hook, $"#!/bin/sh\nexec dotnet '{ledgerDll}' record commit HEAD --repo \"$(git rev-parse --show-toplevel)\" --host hook-e2e\n");

        var psi = new ProcessStartInfo("git", ["-C", _repo.Path, "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "Recorded by the hook"]);
        psi.Environment["LEDGER_DB"] = _db.ConnectionString;
        psi.Environment["LEDGER_HOME"] = _home.Path;
        using (var git = Process.Start(psi)!)
        {
            await git.WaitForExitAsync();
            git.ExitCode.ShouldBe(0);
        }

        var e = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "hook-e2e" })).ShouldHaveSingleItem();
        ((ConfigEdited)e.Data).Purpose.ShouldBe("Recorded by the hook");
    }

    [Fact]
    public async Task Annotate_appends_to_the_changes_stream_and_needs_something_to_say()
    {
        _repo.Write("a.nix", "{ }\n");
        _repo.Commit("Open firewall");
        var cli = new CliRun(_db.ConnectionString, _home.Path, "annot-host");
        (await cli.RunAsync("import-git", "--repo", _repo.Path)).ExitCode.ShouldBe(0);
        var change = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "annot-host" })).Single();

        var empty = await cli.RunAsync("annotate", change.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var missing = await cli.RunAsync("annotate", "987654", "--purpose", "x");
        var ok = await cli.RunAsync("annotate", change.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), "--purpose", "Allow Jellyfin on the LAN", "--validation", "curl :8096 from laptop ok");

        empty.ExitCode.ShouldBe(2);
        empty.Err.ShouldContain("--purpose, --notes, --validation");
        missing.ExitCode.ShouldBe(2);
        ok.ExitCode.ShouldBe(0, ok.Err);
        var note = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "annot-host", Kinds = ["annotation"] })).ShouldHaveSingleItem();
        note.StreamKey.ShouldBe(change.StreamKey);
        var a = (ChangeAnnotated)note.Data;
        a.TargetSeq.ShouldBe(change.Seq);
        a.Sha.ShouldBe(((ConfigEdited)change.Data).Sha);
        a.Validation.ShouldBe("curl :8096 from laptop ok");
    }
}
