namespace Ledger.Core.Analysis;

/// <summary>A word that names what an incident is about, and where it came from (<c>job=jellyfin</c>, <c>alert name JellyfinDown</c>, <c>--about</c>).</summary>
public sealed record Term(string Word, string Source);
