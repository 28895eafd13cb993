namespace Ledger.Core.Processes;

/// <summary>
/// The one way Ledger finds and runs outside programs (git, nixos-rebuild, podman, nvidia-smi,
/// systemctl, initdb, pg_ctl). Capture implements it; the store's embedded PostgreSQL takes it as a
/// parameter, since Store and Capture never reference each other.
/// </summary>
public interface IProgramRunner
{
    /// <summary>
    /// The full path of <paramref name="program"/> (a name looked up like a shell does, then in
    /// NixOS's system folders and <paramref name="moreFolders"/>; or a path), or null when there is none.
    /// </summary>
    string? Locate(string program, string? searchPath = null, IReadOnlyList<string>? moreFolders = null);

    /// <summary>
    /// Runs <paramref name="program"/> to its end. A non-zero exit is a result, not an error; a program
    /// that cannot be started throws <see cref="ProgramNotStartedException"/>; cancelling kills it
    /// (and its children) and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<ProgramResult> RunAsync(ProgramCall program, CancellationToken ct = default);
}
