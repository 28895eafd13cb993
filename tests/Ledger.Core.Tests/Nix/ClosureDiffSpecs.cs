using Ledger.Core.Nix;

namespace Ledger.Core.Tests.Nix;

public class ClosureDiffSpecs
{
    [Fact]
    public void Versions_on_both_sides_several_versions_and_a_coloured_size_are_read()
    {
        var (changes, unread) = ClosureDiff.Parse("dolphin: 20.08.1 → 20.08.2, \u001b[31;1m+13.9 KiB\u001b[0m\nffmpeg: 6.1.1, 7.0.2 → 7.1, \u001b[32;1m-53.2 KiB\u001b[0m\nacpi-call: 2020-04-07-5.8.16 → 2020-04-07-5.8.18\n");

        unread.ShouldBeEmpty();
        changes.Select(c => (c.Name, string.Join('|', c.OldVersions), string.Join('|', c.NewVersions), c.SizeDeltaBytes)).ShouldBe(
        [
            ("dolphin", "20.08.1", "20.08.2", (long?)14234),
            ("ffmpeg", "6.1.1|7.0.2", "7.1", -54477),
            ("acpi-call", "2020-04-07-5.8.16", "2020-04-07-5.8.18", null),
        ]);
    }

    [Fact]
    public void The_empty_set_marks_added_and_removed_packages_and_epsilon_an_empty_version()
    {
        var (changes, _) = ClosureDiff.Parse("kdeconnect: 20.08.2 → ∅, -6597.8 KiB\nkdeconnect-kde: ∅ → 20.08.2, +6599.7 KiB\nunit-script: ε → ∅\n");

        changes[0].NewVersions.ShouldBeEmpty();
        changes[0].Phrase.ShouldBe("-kdeconnect 20.08.2");
        changes[1].OldVersions.ShouldBeEmpty();
        changes[1].Phrase.ShouldBe("+kdeconnect-kde 20.08.2");
        changes[2].OldVersions.ShouldBe([""]);
        changes[2].Phrase.ShouldBe("-unit-script ε");
    }

    [Fact]
    public void A_size_only_line_has_no_versions_and_the_ascii_forms_are_read_too()
    {
        var (changes, _) = ClosureDiff.Parse("bluez-qt: +12.6 KiB\nfoo: {} -> 1.0\n");

        (changes[0].OldVersions.Count, changes[0].NewVersions.Count, changes[0].SizeDeltaBytes, changes[0].VersionsChanged).ShouldBe((0, 0, (long?)12902, false));
        changes[0].Phrase.ShouldBe("bluez-qt +12.6 KiB");
        changes[1].Phrase.ShouldBe("+foo 1.0");
    }

    [Fact]
    public void Lines_that_are_not_the_format_are_returned_unread_not_guessed()
    {
        var (changes, unread) = ClosureDiff.Parse("warning: you don't have Internet access\nlinux: 6.6.52 → 6.6.63\n\n");

        changes.ShouldHaveSingleItem().Name.ShouldBe("linux");
        unread.ShouldBe(["warning: you don't have Internet access"]);
    }

    [Fact]
    public void Nixos_version_json_gives_the_three_fields_and_a_reason_when_it_is_not_json()
    {
        NixosVersionInfo.Parse("""{"nixosVersion":"24.11.20241120.1234567","nixpkgsRevision":"1234567abc","configurationRevision":"deadbeef"}""")
            .Info.ShouldBe(new NixosVersionInfo("24.11.20241120.1234567", "1234567abc", "deadbeef"));
        NixosVersionInfo.Parse("""{"nixosVersion":"24.11"}""").Info.ShouldBe(new NixosVersionInfo("24.11", null, null));
        NixosVersionInfo.Parse("24.11.20241120.1234567 (Vicuna)").Problem.ShouldNotBeNull().ShouldContain("did not print JSON");
    }
}
