using System.Diagnostics;

namespace Ledger.IntegrationTests.Support;

/// <summary>Runs the built <c>ledger</c> as a real child process (<c>dotnet ledger.dll ARGS</c>) with only the environment given.</summary>
public static class CliProcess
{
    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> env, params string[] args) =>
        RunProgramAsync("dotnet", env, [Path.Combine(AppContext.BaseDirectory, "ledger.dll"), .. args]);

    /// <summary>Runs <paramref name="program"/> (a published executable) the same way.</summary>
    public static Task<CliResult> RunProgramAsync(string program, IReadOnlyDictionary<string, string?> env, params string[] args) =>
        RunProgramInAsync(null, program, env, args);

    /// <summary>Runs <paramref name="program"/> in <paramref name="folder"/> (null: this process's own).</summary>
    public static async Task<CliResult> RunProgramInAsync(string? folder, string program, IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = folder ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in new[] { "LEDGER_DB", "LEDGER_HOME", "LEDGER_HOST", "LEDGER_PG_USER" })
        {
            psi.Environment.Remove(name);
        }

        foreach (var (name, value) in env)
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within 3 minutes: {await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
