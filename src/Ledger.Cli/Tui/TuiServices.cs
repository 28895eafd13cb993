using Ledger.Cli.Operations;
using Ledger.Cli.Tui.ViewModels;
using Ledger.Store;

namespace Ledger.Cli.Tui;

/// <summary>What the TUI works with: the store, the host, the keys, and how to build an operation context for a restore.</summary>
internal sealed record TuiServices(
    LedgerStore Store,
    string? Host,
    string? RepoOption,
    TimeZoneInfo Zone,
    KeyMap Keys,
    Func<string, TextWriter, OperationContext> Operation);
