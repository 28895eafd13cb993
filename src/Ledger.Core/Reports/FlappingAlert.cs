namespace Ledger.Core.Reports;

/// <summary>An alert that flapped: <see cref="Cycles"/> fire-resolve cycles within one window.</summary>
public sealed record FlappingAlert(string AlertName, int Cycles);
