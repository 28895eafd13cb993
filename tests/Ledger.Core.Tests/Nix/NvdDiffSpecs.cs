using Ledger.Core.Nix;

namespace Ledger.Core.Tests.Nix;

/// <summary>nvd's format as its releases print it (sections, <c>[KS]  #NN  NAME  VERSIONS</c>); the lines are written here, not captured.</summary>
public class NvdDiffSpecs
{
    private const string Output = """
        <<< /nix/var/nix/profiles/system-41-link
        >>> /nix/var/nix/profiles/system-42-link
        Version changes:
        [U.]  #01  jellyfin                 10.9.11 -> 10.10.3
        [U*]  #02  linux                    6.6.52, 6.6.52-modules x2 -> 6.6.63, 6.6.63-modules x2
        [D.]  #03  sonarr                   4.0.10 -> 4.0.9
        [C.]  #04  ffmpeg                   6.1.1, 7.0.2 -> 7.0.2, 7.1
        Added packages:
        [A.]  #1  radarr                    5.14.0.9383
        [A+]  #2  X-Restart-Triggers-radarr <none>
        Removed packages:
        [R.]  #1  unit-script-old-job       <none>
        Closure size: 3577 -> 3578 (174 paths added, 173 paths removed, delta +1, disk usage +54.4KiB).
        """;

    [Fact]
    public void Every_kind_of_row_becomes_a_package_change_and_the_frame_is_skipped()
    {
        var (changes, unread) = NvdDiff.Parse(Output);

        unread.ShouldBeEmpty();
        changes.Select(c => (c.Name, string.Join('|', c.OldVersions), string.Join('|', c.NewVersions))).ShouldBe(
        [
            ("jellyfin", "10.9.11", "10.10.3"),
            ("linux", "6.6.52|6.6.52-modules", "6.6.63|6.6.63-modules"),
            ("sonarr", "4.0.10", "4.0.9"),
            ("ffmpeg", "6.1.1|7.0.2", "7.0.2|7.1"),
            ("radarr", "", "5.14.0.9383"),
            ("X-Restart-Triggers-radarr", "", ""),
            ("unit-script-old-job", "", ""),
        ]);
        changes.ShouldAllBe(c => c.SizeDeltaBytes == null);
        changes[4].OldVersions.ShouldBeEmpty();
        changes[5].NewVersions.ShouldBe([""], "<none> is an empty version");
        changes[6].OldVersions.ShouldBe([""]);
        changes[6].NewVersions.ShouldBeEmpty();
    }

    [Fact]
    public void Colours_are_ignored_and_lines_not_in_the_format_are_returned_unread()
    {
        var (changes, unread) = NvdDiff.Parse("\u001b[1mVersion changes:\u001b[0m\n[U.]  #01  \u001b[36mjellyfin\u001b[0m  10.9.11 -> 10.10.3\nwarning: something else\nNo version or selection state changes.\n");

        changes.ShouldHaveSingleItem().Name.ShouldBe("jellyfin");
        unread.ShouldBe(["warning: something else"]);
    }
}
