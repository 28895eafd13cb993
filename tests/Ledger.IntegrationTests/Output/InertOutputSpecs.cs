using System.Diagnostics;
using System.Text.Json;
using Ledger.Core.Text;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Output;

/// <summary>
/// Recorded text is written by others: what the real <c>ledger</c> binary prints of it must not act
/// on the terminal (escape sequences, OSC 8 hyperlinks, BEL, C1 controls, bidi overrides), while
/// <c>--json</c> keeps it exactly.
/// </summary>
public sealed class InertOutputSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private const string Author = "Evil\u001b]8;;http://x\u001b\\click\u001b]8;;\u001b\\";
    private const string Message = "Fix \u001b[2J the bell\u0007 and \u202Eevil\u009b31m";
    private const string FileName = "conf\u001b[31m.nix";

    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-inert");
    private readonly GitRepo _repo = new();

    public InertOutputSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _repo.Dispose();
        _home.Dispose();
    }

    [Fact(Timeout = 120_000)]
    public async Task Record_timeline_and_show_print_hostile_commit_text_as_visible_escapes_issue_15()
    {
        // Arrange
        const string host = "inert-text";
        var stored = CommitHostileChange();

        // Act
        var record = await LedgerAsync(host, "record", "commit", "--repo", _repo.Path);
        var seq = (await _db.Store.TimelineAsync(new TimelineQuery { Host = host })).ShouldHaveSingleItem().Seq;
        var timeline = await LedgerAsync(host, "timeline", "--host", host);
        var show = await LedgerAsync(host, "show", seq.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Assert
        foreach (var (name, run) in new[] { ("record", record), ("timeline", timeline), ("show", show) })
        {
            run.ExitCode.ShouldBe(0, $"{name}: {run.Err}");
            ShouldBeInert(run, name);
        }

        record.Out.ShouldContain(@"Fix \e[2J the bell\a and \u202Eevil\u009B31m");
        timeline.Out.ShouldContain(@"Fix \e[2J the bell\a and \u202Eevil\u009B31m");
        show.Out.ShouldContain($"author:  {TerminalText.Escape(stored)} <");
        show.Out.ShouldContain(@"Evil\e]8;;http://x\e\click");
        show.Out.ShouldContain(@"conf\e[31m.nix");
        show.Out.ShouldContain("\n+services.inert.enable = true;\n", customMessage: "the diff keeps its lines");
    }

    [Fact(Timeout = 120_000)]
    public async Task Json_output_still_gives_the_recorded_text_back_exactly_issue_15()
    {
        // Arrange
        const string host = "inert-json";
        var stored = CommitHostileChange();
        (await LedgerAsync(host, "record", "commit", "--repo", _repo.Path)).ExitCode.ShouldBe(0);
        var seq = (await _db.Store.TimelineAsync(new TimelineQuery { Host = host })).ShouldHaveSingleItem().Seq;

        // Act
        var timeline = await LedgerAsync(host, "timeline", "--host", host, "--json");
        var show = await LedgerAsync(host, "show", seq.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");

        // Assert
        ShouldBeInert(timeline, "timeline --json");
        ShouldBeInert(show, "show --json");
        using var listed = JsonDocument.Parse(timeline.Out);
        using var shown = JsonDocument.Parse(show.Out);
        foreach (var data in new[] { listed.RootElement[0].GetProperty("data"), shown.RootElement.GetProperty("data") })
        {
            data.GetProperty("author").GetString().ShouldBe(stored);
            data.GetProperty("message").GetString()!.TrimEnd().ShouldBe(Message);
            data.GetProperty("files")[0].GetProperty("path").GetString().ShouldBe(FileName);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Annotations_and_error_messages_that_quote_user_text_are_inert_too_issue_15()
    {
        // Arrange
        const string host = "inert-annotate";
        CommitHostileChange();
        (await LedgerAsync(host, "record", "commit", "--repo", _repo.Path)).ExitCode.ShouldBe(0);
        var seq = (await _db.Store.TimelineAsync(new TimelineQuery { Host = host })).ShouldHaveSingleItem().Seq.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Act
        var annotate = await LedgerAsync(host, "annotate", seq, "--purpose", "Why\u001b]0;owned\u0007", "--notes", "see \u202Ehttp://x");
        var timeline = await LedgerAsync(host, "timeline", "--host", host);
        var badArgument = await LedgerAsync(host, "show", "\u001b[2J\u001b]8;;http://x\u001b\\");
        var badKind = await LedgerAsync(host, "timeline", "--kind", "x\u001b[31m");

        // Assert
        annotate.ExitCode.ShouldBe(0, annotate.Err);
        badArgument.ExitCode.ShouldNotBe(0);
        badKind.ExitCode.ShouldNotBe(0);
        foreach (var (name, run) in new[] { ("annotate", annotate), ("timeline", timeline), ("show", badArgument), ("timeline --kind", badKind) })
        {
            ShouldBeInert(run, name);
        }

        timeline.Out.ShouldContain(@"Why\e]0;owned\a");
        badArgument.Err.ShouldContain(@"\e[2J\e]8;;http://x\e\");
        badKind.Err.ShouldContain(@"x\e[31m");
    }

    private static void ShouldBeInert(Run run, string name)
    {
        foreach (var (stream, text) in new[] { ("stdout", run.Out), ("stderr", run.Err) })
        {
            var raw = text.Where(c => TerminalText.IsUnsafe(c) && c is not '\n' and not '\t').Select(c => $"U+{(int)c:X4}").Distinct().ToList();
            raw.ShouldBeEmpty($"{name} wrote raw control characters to {stream}:\n{text}");
        }
    }

    /// <summary>A commit whose author, message and file name carry escape sequences; returns the author as git stored it (git trims some trailing punctuation).</summary>
    private string CommitHostileChange()
    {
        _repo.Write(FileName, "services.inert.enable = true;\n");
        _repo.Git("add", "-A");
        _repo.Git("-c", $"user.name={Author}", "commit", "-q", "-m", Message);
        return _repo.Git("log", "-1", "--format=%an").TrimEnd('\n');
    }

    /// <summary>Runs the real ledger binary, as a terminal user would, with its output redirected.</summary>
    private async Task<Run> LedgerAsync(string host, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ledger.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["LEDGER_DB"] = _db.ConnectionString;
        psi.Environment["LEDGER_HOME"] = _home.Path;
        psi.Environment["LEDGER_HOST"] = host;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return new Run(p.ExitCode, await stdout, await stderr);
    }

    private sealed record Run(int ExitCode, string Out, string Err);
}
