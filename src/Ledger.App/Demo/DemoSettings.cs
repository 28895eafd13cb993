namespace Ledger.App.Demo;

/// <summary>
/// Where and as whom the demo runs: <see cref="Home"/> is $LEDGER_HOME (the demo writes under
/// its demo/ folder), <see cref="Folder"/> the demo repository, <see cref="ExplicitDb"/> whether
/// the database came from --db / LEDGER_DB (the suggested commands then pass it on).
/// </summary>
internal sealed record DemoSettings(string Home, string Folder, string Actor, Func<string, string?> Env, TimeZoneInfo TimeZone, bool ExplicitDb);
