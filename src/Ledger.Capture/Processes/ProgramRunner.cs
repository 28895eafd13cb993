using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using CliWrap;

namespace Ledger.Capture.Processes;

/// <summary>The one runner of outside programs, on CliWrap: no shell, arguments escaped, cancellation kills the process tree.</summary>
public sealed class ProgramRunner : IProgramRunner
{
    public static readonly ProgramRunner Default = new();

    public string? Locate(string program, string? searchPath = null, IReadOnlyList<string>? moreFolders = null) =>
        ProgramLocator.Find(program, searchPath, moreFolders);

    public async Task<ProgramResult> RunAsync(ProgramCall program, CancellationToken ct = default)
    {
        var call = program;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var command = Cli.Wrap(call.Program)
            .WithArguments(call.Arguments)
            .WithEnvironmentVariables(call.Environment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(call.OutputLines is { } lines ? PipeTarget.ToDelegate(lines) : PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(call.OutputLines is { } errors ? PipeTarget.ToDelegate(errors) : PipeTarget.ToStringBuilder(stderr));
        if (call.WorkingDirectory is { } folder)
        {
            command = command.WithWorkingDirectory(folder);
        }

        if (call.StandardInput is { } input)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(input));
        }

        var clock = Stopwatch.StartNew();
        try
        {
            var result = await command.ExecuteAsync(ct);
            return new ProgramResult(result.ExitCode, stdout.ToString(), stderr.ToString(), clock.Elapsed);
        }
        catch (Exception e) when (e is Win32Exception || e.InnerException is Win32Exception)
        {
            throw new ProgramNotStartedException(call.Program, WhyNotStarted(e), e);
        }
    }

    /// <summary>
    /// The system's reason in words a person acts on ("not found: ..."), not .NET's "An error
    /// occurred trying to start process ... with working directory ..."; CliWrap wraps the
    /// system's Win32Exception in one of its own.
    /// </summary>
    public static string WhyNotStarted(Exception e)
    {
        var errno = 0;
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is Win32Exception { NativeErrorCode: not 0 } w)
            {
                errno = w.NativeErrorCode;
            }
        }

        return errno switch
        {
            2 => "not found (not installed here, not on PATH, or its working folder is missing)",
            13 => "permission denied (the file is not executable by this user)",
            8 => "not a program this machine can run",
            0 => "the system gave no reason",
            _ => new Win32Exception(errno).Message,
        };
    }

    /// <summary>Runs <paramref name="call"/> and waits, for the few callers that are not asynchronous.</summary>
    public ProgramResult Run(ProgramCall call) => RunAsync(call).GetAwaiter().GetResult();
}
