namespace Ledger.App.Restore;

/// <summary>
/// What <see cref="RestoreEngine.CheckReadiness"/> found before a restore: <see cref="Problems"/>
/// would stop it (so it is refused before anything changes), <see cref="Notices"/> would not.
/// </summary>
internal sealed record RestoreReadiness(IReadOnlyList<string> Problems, IReadOnlyList<string> Notices)
{
    public bool Ready => Problems.Count == 0;

    /// <summary>The problems as one message for an error (exit 2).</summary>
    public string Refusal() =>
        $"The restore cannot start; nothing was changed:\n{string.Join("\n", Problems.Select(p => "  - " + p))}";
}
