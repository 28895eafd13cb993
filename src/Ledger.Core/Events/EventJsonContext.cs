using System.Text.Json.Serialization;

namespace Ledger.Core.Events;

/// <summary>
/// Serialization metadata of every event type, generated at compile time. <see cref="EventJson"/>
/// resolves through it first, so that a short-lived process (the git hook) does not build
/// metadata by reflection and emit accessors at run time. Names and enum values still come from
/// <see cref="EventJson.Options"/>; a test keeps the catalogue and this list the same.
/// </summary>
[JsonSerializable(typeof(ConfigEdited))]
[JsonSerializable(typeof(ChangeAnnotated))]
[JsonSerializable(typeof(ChangeDerived))]
[JsonSerializable(typeof(RepositoryRegistered))]
[JsonSerializable(typeof(BackupTaken))]
[JsonSerializable(typeof(FileRestored))]
[JsonSerializable(typeof(ValidationRun))]
[JsonSerializable(typeof(GpuSnapshotTaken))]
[JsonSerializable(typeof(ContainerSnapshotTaken))]
[JsonSerializable(typeof(StorageSnapshotTaken))]
[JsonSerializable(typeof(SystemSnapshotTaken))]
[JsonSerializable(typeof(DeployStarted))]
[JsonSerializable(typeof(DeployFinished))]
[JsonSerializable(typeof(GenerationActivated))]
[JsonSerializable(typeof(RestoreStarted))]
[JsonSerializable(typeof(RestoreStepCompleted))]
[JsonSerializable(typeof(RestoreCompleted))]
[JsonSerializable(typeof(RestoreFailed))]
[JsonSerializable(typeof(ServiceRestarted))]
[JsonSerializable(typeof(AlertFired))]
[JsonSerializable(typeof(AlertResolved))]
internal sealed partial class EventJsonContext : JsonSerializerContext;
