using System.Globalization;
using Ledger.Core.Events;
using Ledger.Core.Nix;
using Ledger.Core.Text;

namespace Ledger.Cli.Tui.ViewModels;

/// <summary>
/// Snapshots and alerts as aligned tables and key-value lines that fit 80 columns, in place of
/// their JSON. Long cells are cut with <c>~</c>; every line is sanitised through <see cref="StyledLine.Of"/>.
/// </summary>
internal static class EventTables
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static IEnumerable<StyledLine> Gpu(GpuSnapshotTaken g)
    {
        yield return StyledLine.Of($"source: {g.Source}   GPUs: {g.Gpus.Count}");
        yield return new("");
        yield return StyledLine.Of($"{"#",-2} {"NAME",-22} {"UTIL",5} {"MEMORY MiB",13} {"TEMP",5} {"POWER",7} {"ENC/DEC",9} {"PROCS",5}", Tone.Heading);
        foreach (var x in g.Gpus)
        {
            var memory = $"{Num(x.MemoryUsedMiB)}/{Num(x.MemoryTotalMiB)}";
            var tone = x.TemperatureC >= 85 ? Tone.Bad : Tone.Normal;
            yield return StyledLine.Of(
                $"{x.Index,-2} {Fitting.Cut(x.Name, 22),-22} {Pct(x.UtilizationGpuPercent),5} {memory,13} {Unit(x.TemperatureC, " C"),5} {Unit(x.PowerWatts, " W", "0.0"),7} {Pct(x.EncoderPercent) + "/" + Pct(x.DecoderPercent),9} {x.Processes.Count,5}",
                tone);
            foreach (var p in x.Processes)
            {
                yield return StyledLine.Of($"     pid {p.Pid,-8} {Fitting.Cut(p.Name, 40),-40} {Unit(p.MemoryUsedMiB, " MiB"),10}", Tone.Dim);
            }
        }
    }

    public static IEnumerable<StyledLine> Containers(ContainerSnapshotTaken c)
    {
        yield return StyledLine.Of($"runtime: {c.Runtime}   containers: {c.Containers.Count} ({c.Containers.Count(x => IsRunning(x.State))} running)");
        yield return new("");
        yield return StyledLine.Of($"{"NAME",-18} {"IMAGE",-30} {"STATE",-9} {"HEALTH",-9} {"RESTARTS",8}", Tone.Heading);
        foreach (var x in c.Containers.OrderBy(x => x.Name, StringComparer.Ordinal))
        {
            var tone = !IsRunning(x.State) || x.Health is "unhealthy" ? Tone.Bad : x.RestartCount > 0 ? Tone.Warn : Tone.Normal;
            yield return StyledLine.Of($"{Fitting.Cut(x.Name, 18),-18} {Fitting.Cut(x.Image, 30),-30} {Fitting.Cut(x.State, 9),-9} {Fitting.Cut(x.Health ?? "-", 9),-9} {x.RestartCount,8}", tone);
        }
    }

    public static IEnumerable<StyledLine> Storage(StorageSnapshotTaken s)
    {
        yield return StyledLine.Of($"{"MOUNT",-30} {"TIER",-6} {"USED",10} {"TOTAL",10} {"USE%",5}  {"",-10}", Tone.Heading);
        foreach (var m in s.Mounts)
        {
            var percent = m.TotalBytes > 0 ? 100.0 * m.UsedBytes / m.TotalBytes : 0;
            var bar = new string('#', (int)Math.Round(percent / 10)).PadRight(10, '.');
            var tone = percent >= 90 ? Tone.Bad : percent >= 80 ? Tone.Warn : Tone.Normal;
            yield return StyledLine.Of($"{Fitting.Cut(m.Mount, 30),-30} {Fitting.Cut(m.Tier ?? "-", 6),-6} {Size(m.UsedBytes),10} {Size(m.TotalBytes),10} {percent.ToString("0", Inv) + "%",5}  {bar}", tone);
        }
    }

    public static IEnumerable<StyledLine> System(SystemSnapshotTaken s)
    {
        var used = s.MemoryTotalBytes - s.MemoryAvailableBytes;
        var uptime = TimeSpan.FromSeconds(s.UptimeSeconds);
        yield return StyledLine.Of($"kernel:     {s.Kernel}");
        yield return StyledLine.Of($"nixos:      {s.NixosVersion ?? "-"}   generation: {(s.Generation is { } g ? g.ToString(Inv) : "-")}");
        yield return StyledLine.Of($"uptime:     {(int)uptime.TotalDays}d {uptime.Hours}h {uptime.Minutes}m");
        yield return StyledLine.Of(string.Create(Inv, $"load:       {s.Load1:0.00} {s.Load5:0.00} {s.Load15:0.00} (1, 5, 15 min)"));
        yield return StyledLine.Of($"memory:     {Size(used)} used of {Size(s.MemoryTotalBytes)} ({(s.MemoryTotalBytes > 0 ? 100.0 * used / s.MemoryTotalBytes : 0).ToString("0", Inv)}%), {Size(s.MemoryAvailableBytes)} available");
    }

    /// <summary>What a switch changed: generations, NixOS version, the commit it was built from, and one line per package.</summary>
    public static IEnumerable<StyledLine> Packages(int? from, int? to, IReadOnlyList<PackageChange>? packages, string? nixosVersion, string? configurationRevision, string? problem)
    {
        if (from is null && packages is null && nixosVersion is null && problem is null)
        {
            yield break; // recorded before Ledger read package changes
        }

        yield return StyledLine.Of($"System: generation {(from is { } f ? $"{f} → " : "")}{(to is { } t ? t.ToString(CultureInfo.InvariantCulture) : "?")}" +
            (nixosVersion is null ? "" : $", NixOS {nixosVersion}") + (configurationRevision is null ? "" : $", built from {EventCatalogue.ShortSha(configurationRevision)}"), Tone.Heading);
        if (problem is not null)
        {
            yield return StyledLine.Of($"  not read: {problem}", Tone.Bad);
        }

        if (packages is { Count: 0 })
        {
            yield return StyledLine.Of("  no package changed", Tone.Dim);
        }

        foreach (var p in (packages ?? []).OrderBy(p => !p.VersionsChanged).ThenBy(p => p.Name, StringComparer.Ordinal))
        {
            var size = p.SizeDeltaBytes is { } b ? $"  {(b >= 0 ? "+" : "-")}{Size(Math.Abs(b))}" : "";
            yield return StyledLine.Of($"  {(p.VersionsChanged ? p.Phrase : p.Name)}{size}", p.VersionsChanged ? Tone.Normal : Tone.Dim);
        }

        yield return new("");
    }

    public static IEnumerable<StyledLine> Alert(object alert, TimeZoneInfo zone)
    {
        var (name, fingerprint, startsAt, endsAt, severity, labels, annotations, url) = alert switch
        {
            AlertFired f => (f.AlertName, f.Fingerprint, f.StartsAt, (DateTimeOffset?)null, f.Severity, f.Labels, f.Annotations, f.GeneratorUrl),
            AlertResolved r => (r.AlertName, r.Fingerprint, r.StartsAt, r.EndsAt, r.Labels.GetValueOrDefault("severity"), r.Labels, r.Annotations, null),
            _ => throw new ArgumentException("not an alert", nameof(alert)),
        };
        yield return StyledLine.Of($"alert:       {name}", Tone.Heading);
        yield return endsAt is null ? StyledLine.Of("status:      firing", Tone.Bad) : StyledLine.Of("status:      resolved", Tone.Good);
        yield return StyledLine.Of($"severity:    {severity ?? "-"}");
        yield return StyledLine.Of($"startsAt:    {Time(startsAt, zone)}");
        yield return StyledLine.Of(endsAt is { } e ? $"endsAt:      {Time(e, zone)}   (lasted {Duration(e - startsAt)})" : "endsAt:      - (still firing when recorded)");
        yield return StyledLine.Of($"fingerprint: {fingerprint}", Tone.Dim);
        if (url is not null)
        {
            yield return StyledLine.Of($"source:      {url}", Tone.Dim);
        }

        foreach (var line in Pairs("Labels", labels).Concat(Pairs("Annotations", annotations)))
        {
            yield return line;
        }
    }

    /// <summary>Room for a value after the key column, so a pair fits 80 columns.</summary>
    private const int ValueWidth = 80 - 28;

    /// <summary>A titled block of aligned <c>key: value</c> lines; long and multi-line values continue under the value column.</summary>
    private static IEnumerable<StyledLine> Pairs(string title, IReadOnlyDictionary<string, string> pairs)
    {
        yield return new("");
        yield return StyledLine.Of($"{title} ({pairs.Count}):", Tone.Heading);
        var width = Math.Min(24, pairs.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max());
        foreach (var (key, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var first = true;
            foreach (var line in StyledLine.Block(value).SelectMany(l => Wrap(l.Text, ValueWidth)))
            {
                yield return StyledLine.Of($"  {(first ? Fitting.Cut(key, 24) + ":" : ""),-25} {line}");
                first = false;
            }
        }
    }

    /// <summary>Breaks a line at spaces (or hard, for a long word) into pieces of at most <paramref name="width"/>.</summary>
    public static IEnumerable<string> Wrap(string text, int width)
    {
        var rest = text;
        while (rest.Length > width)
        {
            var cut = rest.LastIndexOf(' ', width);
            cut = cut <= 0 ? width : cut;
            yield return rest[..cut].TrimEnd();
            rest = rest[cut..].TrimStart();
        }

        yield return rest;
    }

    public static string Size(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : value.ToString("0.0", Inv) + " " + units[unit];
    }

    private static string Time(DateTimeOffset t, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm:ss zzz", Inv);

    private static string Duration(TimeSpan d) =>
        d.TotalDays >= 1 ? $"{(int)d.TotalDays}d {d.Hours}h" : d.TotalHours >= 1 ? $"{(int)d.TotalHours}h {d.Minutes}m" : $"{(int)d.TotalMinutes}m {d.Seconds}s";

    private static bool IsRunning(string state) => state.Equals("running", StringComparison.OrdinalIgnoreCase);

    private static string Num(double? v) => v is { } x ? x.ToString("0", Inv) : "-";

    private static string Pct(double? v) => v is { } x ? x.ToString("0", Inv) + "%" : "-";

    private static string Unit(double? v, string unit, string format = "0") => v is { } x ? x.ToString(format, Inv) + unit : "-";

}
