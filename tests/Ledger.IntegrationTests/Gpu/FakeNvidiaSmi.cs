using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Gpu;

/// <summary>
/// An executable <c>nvidia-smi</c> shell script in a folder of its own (put the folder first on PATH,
/// or pass <see cref="Executable"/>). It appends each call's arguments as one line to
/// <see cref="ArgumentsLog"/> and prints the given output for <c>--query-gpu</c> and
/// <c>--query-compute-apps</c>.
/// </summary>
public sealed class FakeNvidiaSmi : IDisposable
{
    private readonly TempDirectory _dir = new("fake-nvidia-smi");

    public FakeNvidiaSmi(string gpuOutput, string processOutput, int exitCode = 0, string stderr = "", int sleepSeconds = 0)
    {
        File.WriteAllText(System.IO.Path.Combine(Folder, "gpu.out"), gpuOutput);
        File.WriteAllText(System.IO.Path.Combine(Folder, "apps.out"), processOutput);
        File.WriteAllText(System.IO.Path.Combine(Folder, "stderr.out"), stderr);
        var script = $"""
            #!/bin/sh
            here=$(dirname "$0")
            printf '%s\n' "$*" >> "$here/args.log"
            {(sleepSeconds > 0 ? $"exec sleep {sleepSeconds}" : "")}
            case "$1" in
              --query-gpu=*) cat "$here/gpu.out" ;;
              --query-compute-apps=*) cat "$here/apps.out" ;;
              *) echo "fake nvidia-smi: unexpected arguments: $*" >&2; exit 2 ;;
            esac
            cat "$here/stderr.out" >&2
            exit {exitCode}

            """;
        Ledger.Capture.Files.ScriptFile.Write(Executable, script);
    }

    public string Folder => _dir.Path;

    public string Executable => System.IO.Path.Combine(Folder, "nvidia-smi");

    public string ArgumentsLog => System.IO.Path.Combine(Folder, "args.log");

    /// <summary>One line per call: its arguments joined by spaces.</summary>
    public IReadOnlyList<string> Calls => File.Exists(ArgumentsLog) ? File.ReadAllLines(ArgumentsLog) : [];

    public void Dispose() => _dir.Dispose();
}
