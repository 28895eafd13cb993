namespace Ledger.Core.Processes;

/// <summary>One run of an outside program: what to run, with which arguments, where and with what input.</summary>
public sealed record ProgramCall(string Program, IReadOnlyList<string> Arguments)
{
    /// <summary>The folder it runs in; null: this process's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables set (or, with a null value, removed) on top of this process's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Text written to its standard input; null: none.</summary>
    public string? StandardInput { get; init; }

    /// <summary>
    /// Where output lines go as they arrive, standard output and error interleaved; null: both are
    /// buffered whole into the <see cref="ProgramResult"/>.
    /// </summary>
    public Action<string>? OutputLines { get; init; }

    /// <summary>The command line as messages show it.</summary>
    public string Shown => Arguments.Count == 0 ? Path.GetFileName(Program) : $"{Path.GetFileName(Program)} {string.Join(' ', Arguments)}";
}
