using Ledger.Core.Nix;

namespace Ledger.Core.Tests.Nix;

public class InputMovementSpecs
{
    private static readonly DateTimeOffset Day1 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Updates_of_one_input_add_up_and_a_channel_switch_shows_both_refs()
    {
        var rows = InputMovement.Of(
        [
            (Day1.AddDays(20), Update("nixpkgs", "2026-05-20T00:00:00Z", "2026-06-19T00:00:00Z", "nixos-25.11", "nixos-26.05")),
            (Day1, Update("nixpkgs", "2026-05-10T00:00:00Z", "2026-05-20T00:00:00Z", "nixos-25.11", "nixos-25.11")),
            (Day1.AddDays(3), Update("home-manager", null, null, null, null)),
        ]);

        rows.Select(r => (r.Input, r.Updates, r.DaysText, r.RefText)).ShouldBe(
        [
            ("home-manager", 1, "n/a", "-"),
            ("nixpkgs", 2, "+40 days", "nixos-25.11 → nixos-26.05"),
        ]);
        rows[1].LastAt.ShouldBe(Day1.AddDays(20));
    }

    [Fact]
    public void A_move_back_subtracts_and_an_added_input_starts_from_nothing()
    {
        var rows = InputMovement.Of(
        [
            (Day1, Update("nixpkgs", "2026-05-20T00:00:00Z", "2026-05-10T00:00:00Z", null, null)),
            (Day1, new FlakeInputChange("agenix", "added", null, "abc", null, "2026-05-01T00:00:00Z", null, "main")),
        ]);

        rows.Select(r => (r.Input, r.DaysText, r.RefText, r.LastChange)).ShouldBe(
        [
            ("agenix", "n/a", "- → main", "added"),
            ("nixpkgs", "-10 days", "-", "updated"),
        ]);
    }

    private static FlakeInputChange Update(string input, string? from, string? to, string? oldRef, string? newRef) =>
        new(input, "updated", "a", "b", from, to, oldRef, newRef);
}
