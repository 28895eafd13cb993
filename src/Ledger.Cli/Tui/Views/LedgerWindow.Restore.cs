using Ledger.Cli.Tui.ViewModels;
using Ledger.Core.Timeline;

namespace Ledger.Cli.Tui.Views;

/// <summary>The restore screen (R, or <c>:restore SEQ</c>): the plan, the host name typed to confirm, then the run's progress.</summary>
internal sealed partial class LedgerWindow
{
    /// <summary>The plan is shown and the admin types the host name: keys go to the prompt.</summary>
    private bool ConfirmingRestore => Screen == Screen.Restore && Restore?.State == RestoreState.Confirming;

    private void StartRestore(TimelineEntry target)
    {
        var host = target.Host;
        Background(
            async () =>
            {
                var repo = await RestoreViewModel.ResolveRepoAsync(_svc.Store, _svc.RepoOption, target);
                var vm = new RestoreViewModel(w => _svc.Operation(host, w), host, repo, target.Seq);
                await vm.PlanAsync();
                Restore = vm;
            },
            () =>
            {
                Screen = Screen.Restore;
                _input.Clear();
            });
    }

    /// <summary>Enter on the restore prompt: the run starts when <paramref name="typed"/> is the host name, else the error shows at once.</summary>
    private void ConfirmRestore(string typed)
    {
        var vm = Restore!;
        if (vm.Confirm(typed))
        {
            _input.Clear();
            Background(() => vm.ExecuteAsync(_ => _app.Invoke(Refresh)));
        }
    }
}
