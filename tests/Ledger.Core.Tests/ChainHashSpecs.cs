using Ledger.Core.Errors;
using Ledger.Core.Integrity;

namespace Ledger.Core.Tests;

public sealed class ChainHashSpecs
{
    // The expected bytes and hashes below were computed outside this code, from the encoding
    // documented in docs/events.md, with python3 (struct.pack('>I', len) + utf-8, hashlib.sha256)
    // and checked with `{ head -c 32 /dev/zero; echo -n CANONICAL_HEX | xxd -r -p; } | sha256sum`.
    private static readonly ChainEntry First = new(
        42,
        "commit:media01:/etc/nixos:3f2a9c1",
        1,
        "config_edited",
        new DateTimeOffset(2026, 11, 27, 9, 48, 1, TimeSpan.Zero).AddTicks(1234560),
        "media01",
        """{"host": "media01", "actor": "root", "message": "Jellyfin für alle"}""");

    private static readonly ChainEntry Second = new(
        43,
        "snapshot:media01:gpu",
        7,
        "gpu_snapshot_taken",
        new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero).AddTicks(10),
        "",
        "{}");

    [Fact]
    public void The_canonical_form_is_each_field_as_a_big_endian_length_and_its_utf8_bytes()
    {
        var canonical = ChainHash.Canonical(First);

        Convert.ToHexStringLower(canonical).ShouldBe(
            "00000002" + "3432"
            + "00000021" + "636f6d6d69743a6d6564696130313a2f6574632f6e69786f733a33663261396331"
            + "00000001" + "31"
            + "0000000d" + "636f6e6669675f656469746564"
            + "0000001b" + "323032362d31312d32375430393a34383a30312e3132333435365a"
            + "00000007" + "6d656469613031"
            + "00000045" + "7b22686f7374223a20226d656469613031222c20226163746f72223a2022726f6f74222c20226d657373616765223a20224a656c6c7966696e2066c3bc7220616c6c65227d");
    }

    [Fact]
    public void The_first_hash_chains_to_32_zero_bytes_and_each_next_one_to_the_previous()
    {
        var h1 = ChainHash.Next(ChainHash.Genesis, First);
        var h2 = ChainHash.Next(h1, Second);

        ChainHash.ToHex(ChainHash.Genesis).ShouldBe(new string('0', 64));
        ChainHash.ToHex(h1).ShouldBe("b077c9104d045c881f5506b216702773aaac98209f7c27841aea63d72849a0aa");
        ChainHash.ToHex(h2).ShouldBe("77203deeb09277ea3520cefcb1427ad65b8ea99d8ae4c1da4fb7b2cc7f760c2d");
    }

    [Fact]
    public void Timestamps_are_written_in_utc_with_exactly_six_fractional_digits()
    {
        var local = new DateTimeOffset(2026, 11, 27, 11, 48, 1, TimeSpan.FromHours(2));

        ChainHash.FormatTimestamp(local).ShouldBe("2026-11-27T09:48:01.000000Z");
        ChainHash.FormatTimestamp(First.Timestamp).ShouldBe("2026-11-27T09:48:01.123456Z");
    }

    [Fact]
    public void Moving_bytes_from_one_field_to_the_next_changes_the_hash()
    {
        var a = First with { Stream = "ab", Type = "c" };
        var b = First with { Stream = "a", Type = "bc" };

        ChainHash.Next(ChainHash.Genesis, a).ShouldNotBe(ChainHash.Next(ChainHash.Genesis, b));
    }

    [Fact]
    public void Every_covered_field_changes_the_hash()
    {
        var original = ChainHash.ToHex(ChainHash.Next(ChainHash.Genesis, First));
        ChainEntry[] changed =
        [
            First with { Seq = 41 },
            First with { Stream = First.Stream + "x" },
            First with { Version = 2 },
            First with { Type = "change_annotated" },
            First with { Timestamp = First.Timestamp.AddTicks(10) },
            First with { Host = "media02" },
            First with { Data = First.Data.Replace("für", "fur", StringComparison.Ordinal) },
        ];

        changed.Select(e => ChainHash.ToHex(ChainHash.Next(ChainHash.Genesis, e))).ShouldAllBe(h => h != original);
    }

    [Fact]
    public void A_checkpoint_signs_its_fields_one_per_line_and_survives_a_round_trip_through_json()
    {
        var checkpoint = new Checkpoint(2000, new string('a', 64), 1998, "2026-11-27T09:48:01Z")
        {
            Signature = new CheckpointSignature("ed25519", new string('b', 64), new string('c', 128)),
        };

        System.Text.Encoding.UTF8.GetString(checkpoint.SignedBytes()).ShouldBe(
            $"ledger-checkpoint-v1\nseq=2000\nhash={new string('a', 64)}\nevents=1998\ntime=2026-11-27T09:48:01Z\n");
        Checkpoint.Parse(checkpoint.ToJson(), "cp.json").ShouldBe(checkpoint);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"format":"something-else","seq":1,"hash":"00","events":1,"time":"t"}""")]
    [InlineData("""{"format":"ledger-checkpoint-v1","seq":1,"hash":"abc","events":1,"time":"t"}""")]
    [InlineData("""{"format":"ledger-checkpoint-v1","seq":-1,"hash":"0000000000000000000000000000000000000000000000000000000000000000","events":1,"time":"t"}""")]
    public void A_file_that_is_not_a_checkpoint_is_a_usage_error_naming_the_file(string text)
    {
        var e = Should.Throw<LedgerException>(() => Checkpoint.Parse(text, "/tmp/cp.json"));

        e.ExitCode.ShouldBe(ExitCodes.UsageOrEnvironment);
        e.Message.ShouldContain("/tmp/cp.json is not a Ledger checkpoint");
    }
}
