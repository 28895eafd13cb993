using Ledger.Capture.Processes;
using Ledger.Store;

namespace Ledger.App;

/// <summary>What a deploy or restore runs with: the store, who and where, the programs, the checklist and where to report progress.</summary>
internal sealed record OperationContext(
    LedgerStore Store,
    string Host,
    string Actor,
    Programs Programs,
    string? ChecklistPath,
    TextWriter Progress,
    Func<string, string?> Env);
