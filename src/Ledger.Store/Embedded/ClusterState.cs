namespace Ledger.Store.Embedded;

/// <summary>The state of the private cluster.</summary>
public enum ClusterState
{
    /// <summary>No cluster has been created under this home yet.</summary>
    Absent,
    Stopped,
    Running,
}
