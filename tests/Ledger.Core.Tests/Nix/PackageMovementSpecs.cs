using Ledger.Core.Nix;

namespace Ledger.Core.Tests.Nix;

public class PackageMovementSpecs
{
    private static readonly DateTimeOffset Day1 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Versions_run_from_before_the_first_switch_to_after_the_last_and_size_only_changes_are_left_out()
    {
        var rows = PackageMovement.Of(
        [
            (Day1.AddDays(9), new PackageChange("jellyfin", ["10.10.3"], ["10.10.4"], null)),
            (Day1, new PackageChange("jellyfin", ["10.9.11"], ["10.10.3"], 20480)),
            (Day1, new PackageChange("radarr", [], ["5.14.0"], 1)),
            (Day1.AddDays(2), new PackageChange("sonarr", ["4.0.9"], [], -1)),
            (Day1, new PackageChange("zstd", [], [], 20480)),
        ]);

        rows.Select(r => (r.Name, r.Switches, r.Text)).ShouldBe(
        [
            ("jellyfin", 2, "10.9.11 → 10.10.4"),
            ("radarr", 1, "∅ → 5.14.0"),
            ("sonarr", 1, "4.0.9 → ∅"),
        ]);
        rows[0].LastAt.ShouldBe(Day1.AddDays(9));
    }
}
