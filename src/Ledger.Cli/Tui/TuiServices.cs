using Ledger.App;
using Ledger.Cli.Tui.ViewModels;
using Ledger.Store;

namespace Ledger.Cli.Tui;

/// <summary>
/// What the TUI works with: the store, the host shown (null: every host), the keys, how to build an
/// operation context for a restore or a validation, who the admin is (annotations) and the host this
/// machine records as (validations when no host is shown).
/// </summary>
internal sealed record TuiServices(
    LedgerStore Store,
    string? Host,
    string? RepoOption,
    TimeZoneInfo Zone,
    KeyMap Keys,
    Func<string, TextWriter, OperationContext> Operation,
    string Actor,
    string LocalHost);
