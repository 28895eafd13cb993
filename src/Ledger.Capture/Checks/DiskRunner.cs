using System.Globalization;
using Ledger.Core.Validation;

namespace Ledger.Capture.Checks;

/// <summary>
/// How full a mounted filesystem is, counted the way <c>df</c> counts its Use% column:
/// used = size - free blocks (statvfs f_bfree), and
/// used% = used / (used + blocks available to unprivileged users (f_bavail)).
/// Blocks reserved for root therefore count as neither, so 100% means "full for services",
/// as in df. (used / size would read lower: 5.7% instead of df's 16% on a disk with a large
/// reserve.) df rounds up to a whole percent; Ledger compares the exact value.
/// </summary>
internal static class DiskRunner
{
    public static CheckOutcome Run(DiskCheck check)
    {
        var mount = check.Mount.Length > 1 ? Path.TrimEndingDirectorySeparator(check.Mount) : check.Mount;
        if (!Directory.Exists(mount))
        {
            return CheckOutcome.Error(
                $"{mount} does not exist",
                [new Finding(mount, "does not exist; is the disk attached, and is \"mount\" the right path?")]);
        }

        // The last entry wins: a filesystem mounted over another one hides it, as df shows.
        var drive = DriveInfo.GetDrives().LastOrDefault(d => d.Name == mount);
        if (drive is null)
        {
            return CheckOutcome.Error(
                $"nothing is mounted at {mount}",
                [new Finding(mount, "is a folder, not a mount point: the disk is not mounted, and writes there fill the filesystem that holds the folder")]);
        }

        // DriveInfo reads statvfs: TotalSize = f_blocks, TotalFreeSpace = f_bfree, AvailableFreeSpace = f_bavail.
        var size = drive.TotalSize;
        var used = size - drive.TotalFreeSpace;
        var available = drive.AvailableFreeSpace;
        if (used + available <= 0)
        {
            return CheckOutcome.Error($"{mount} ({drive.DriveFormat}) reports no size", [new Finding(mount, $"a {drive.DriveFormat} filesystem without blocks; check a disk-backed mount")]);
        }

        var percent = 100.0 * used / (used + available);
        var details = string.Create(
            CultureInfo.InvariantCulture,
            $"{mount} ({drive.DriveFormat}): size {Bytes(size)}, used {Bytes(used)}, available {Bytes(available)}, use {percent:0.0}% (limit {check.MaxUsedPercent:0.##}%)");
        if (percent > check.MaxUsedPercent)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"is {percent:0.0}% full, over the limit of {check.MaxUsedPercent:0.##}% ({Bytes(available)} available)");
            return CheckOutcome.Fail($"{mount} {message}", [new Finding(mount, message)], details);
        }

        return CheckOutcome.Pass(string.Create(CultureInfo.InvariantCulture, $"{mount} is {percent:0.0}% full (limit {check.MaxUsedPercent:0.##}%)"), details);
    }

    private static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }
}
