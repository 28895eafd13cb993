using Ledger.Cli.Tui.ViewModels;

namespace Ledger.Cli.Tui.Views;

/// <summary>The validation screen (v): the checklist's output as it arrives; the run goes on when the admin leaves.</summary>
internal sealed partial class LedgerWindow
{
    /// <summary>Runs the checklist in the background; lines appear as each check is recorded, and the timeline is read again at the end.</summary>
    private void StartValidation()
    {
        if (Validation is { Running: true })
        {
            ShowValidation();
            return;
        }

        var host = _svc.Host ?? _svc.LocalHost;
        Background(async () =>
        {
            var repo = await ValidationViewModel.ResolveRepoAsync(_svc.Store, _svc.RepoOption, host);
            var vm = new ValidationViewModel(w => _svc.Operation(host, w), host, repo);
            _app.Invoke(() =>
            {
                Validation = vm;
                ShowValidation();
                Refresh();
            });
            await vm.RunAsync(_ => _app.Invoke(Refresh));
            await Timeline.ReloadAsync();
        });
    }

    private void ShowValidation()
    {
        Screen = Screen.Validation;
        Details = null;
        _validationLinesShown = -1;
    }
}
