namespace Ledger.App.Demo;

/// <summary>One commit of the demo repository: the files it changes, with their full new contents; a null value deletes the file.</summary>
internal sealed record DemoCommit(string Message, DateTimeOffset When, IReadOnlyDictionary<string, string?> Files);
