namespace Ledger.Core.Validation;

/// <summary><c>systemctl is-active UNIT</c> says <c>active</c>.</summary>
public sealed record SystemdCheck(string Name, TimeSpan Timeout, string Unit)
    : CheckDefinition(Name, Timeout)
{
    public override string Kind => CheckKinds.Systemd;
}
