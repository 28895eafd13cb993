using System.Text.Json.Nodes;

namespace Ledger.IntegrationTests.Integrity;

public sealed class CheckpointSpecs : IAsyncLifetime
{
    private readonly ChainLedger _ledger = new();

    private string KeyFile => Path.Combine(_ledger.Home, "checkpoint.key");

    private string CheckpointFile => Path.Combine(_ledger.Home, "cp.json");

    public Task InitializeAsync() => _ledger.InitializeAsync();

    public Task DisposeAsync() => _ledger.DisposeAsync();

    [Fact]
    public async Task An_unsigned_checkpoint_holds_the_head_and_verifies()
    {
        await _ledger.AppendAsync(7);

        var run = await _ledger.Cli.RunAsync("checkpoint");
        var checkpoint = JsonNode.Parse(run.Out)!;
        await File.WriteAllTextAsync(CheckpointFile, run.Out);
        var verify = await _ledger.Cli.RunAsync("verify", "--checkpoint", CheckpointFile);

        run.ExitCode.ShouldBe(0, run.Err);
        checkpoint["format"]!.GetValue<string>().ShouldBe("ledger-checkpoint-v1");
        checkpoint["seq"]!.GetValue<long>().ShouldBe(7, "checkpoint seals first");
        checkpoint["hash"]!.GetValue<string>().ShouldBe((await _ledger.Store.Chain.HeadAsync()).Hash);
        checkpoint["signature"].ShouldBeNull();
        verify.ExitCode.ShouldBe(0, verify.Out);
        verify.Out.ShouldContain("Checkpoint: #7 of ");
        verify.Out.ShouldContain("unsigned: the chain still holds it.");
    }

    [Fact]
    public async Task A_new_key_is_private_to_its_owner_and_never_overwritten()
    {
        var created = await _ledger.Cli.RunAsync("checkpoint", "--new-key", KeyFile);
        var again = await _ledger.Cli.RunAsync("checkpoint", "--new-key", KeyFile);

        created.ExitCode.ShouldBe(0, created.Err);
        File.GetUnixFileMode(KeyFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (await File.ReadAllTextAsync(KeyFile)).ShouldStartWith("-----BEGIN PRIVATE KEY-----");
        var publicKey = (await File.ReadAllTextAsync(KeyFile + ".pub")).Trim();
        publicKey.Length.ShouldBe(64);
        created.Out.ShouldContain($"Public key: {publicKey}");
        again.ExitCode.ShouldBe(2);
        again.Err.ShouldContain("already exists");
    }

    [Fact]
    public async Task A_signed_checkpoint_verifies_with_the_key_inside_it_and_with_the_key_pinned()
    {
        await _ledger.AppendAsync(5);
        await _ledger.Cli.RunAsync("checkpoint", "--new-key", KeyFile);

        var run = await _ledger.Cli.RunAsync("checkpoint", "--sign", KeyFile, "--out", CheckpointFile);
        var embedded = await _ledger.Cli.RunAsync("verify", "--checkpoint", CheckpointFile);
        var pinnedByFile = await _ledger.Cli.RunAsync("verify", "--checkpoint", CheckpointFile, "--public-key", KeyFile + ".pub");
        var pinnedByHex = await _ledger.Cli.RunAsync("verify", "--checkpoint", CheckpointFile, "--public-key", (await File.ReadAllTextAsync(KeyFile + ".pub")).Trim());

        run.ExitCode.ShouldBe(0, run.Err);
        run.Out.ShouldContain("signed by key");
        var signature = JsonNode.Parse(await File.ReadAllTextAsync(CheckpointFile))!["signature"]!;
        signature["algorithm"]!.GetValue<string>().ShouldBe("ed25519");
        signature["value"]!.GetValue<string>().Length.ShouldBe(128);
        embedded.ExitCode.ShouldBe(0, embedded.Out);
        embedded.Out.ShouldContain("signed by key");
        pinnedByFile.ExitCode.ShouldBe(0, pinnedByFile.Out);
        pinnedByHex.ExitCode.ShouldBe(0, pinnedByHex.Out);
    }

    [Fact]
    public async Task A_checkpoint_edited_after_signing_fails_its_signature()
    {
        await _ledger.AppendAsync(6);
        await _ledger.Cli.RunAsync("checkpoint", "--new-key", KeyFile);
        await _ledger.Cli.RunAsync("checkpoint", "--sign", KeyFile, "--out", CheckpointFile);

        // Someone moves the checkpoint back to match a truncated chain, keeping the old signature.
        var edited = JsonNode.Parse(await File.ReadAllTextAsync(CheckpointFile))!;
        edited["seq"] = 3;
        edited["hash"] = await HashAtAsync(3);
        await File.WriteAllTextAsync(CheckpointFile, edited.ToJsonString());
        var verify = await _ledger.Cli.RunAsync("verify", "--checkpoint", CheckpointFile);
        var (code, json) = await _ledger.VerifyJsonAsync("--checkpoint", CheckpointFile);

        verify.ExitCode.ShouldBe(1);
        verify.Out.ShouldContain("SIGNATURE INVALID");
        verify.Out.ShouldContain("changed after it was signed, or the signature is forged");
        code.ShouldBe(1);
        json.GetProperty("intact").GetBoolean().ShouldBeFalse();
        json.GetProperty("checkpoint").GetProperty("holds").GetBoolean().ShouldBeTrue();
        json.GetProperty("checkpoint").GetProperty("signatureError").GetString().ShouldNotBeNull();
    }

    [Fact]
    public async Task A_checkpoint_signed_by_another_key_fails_when_the_key_is_pinned()
    {
        await _ledger.AppendAsync(4);
        await _ledger.Cli.RunAsync("checkpoint", "--new-key", KeyFile);
        var forger = Path.Combine(_ledger.Home, "forger.key");
        await _ledger.Cli.RunAsync("checkpoint", "--new-key", forger);
        await _ledger.Cli.RunAsync("checkpoint", "--sign", forger, "--out", CheckpointFile);

        var unpinned = await _ledger.Cli.RunAsync("verify", "--checkpoint", CheckpointFile);
        var pinned = await _ledger.Cli.RunAsync("verify", "--checkpoint", CheckpointFile, "--public-key", KeyFile + ".pub");

        unpinned.ExitCode.ShouldBe(0, "a self-consistent signature is all that can be checked without a pinned key");
        pinned.ExitCode.ShouldBe(1);
        pinned.Out.ShouldContain("not by the expected key");
    }

    [Fact]
    public async Task A_forged_signature_value_fails()
    {
        await _ledger.AppendAsync(4);
        await _ledger.Cli.RunAsync("checkpoint", "--new-key", KeyFile);
        await _ledger.Cli.RunAsync("checkpoint", "--sign", KeyFile, "--out", CheckpointFile);
        var forged = JsonNode.Parse(await File.ReadAllTextAsync(CheckpointFile))!;
        var value = forged["signature"]!["value"]!.GetValue<string>();
        forged["signature"]!["value"] = (value[0] == '0' ? "1" : "0") + value[1..];
        await File.WriteAllTextAsync(CheckpointFile, forged.ToJsonString());

        var verify = await _ledger.Cli.RunAsync("verify", "--checkpoint", CheckpointFile, "--public-key", KeyFile + ".pub");

        verify.ExitCode.ShouldBe(1);
        verify.Out.ShouldContain("SIGNATURE INVALID");
    }

    [Fact]
    public async Task A_stripped_signature_fails_when_a_key_is_expected()
    {
        await _ledger.AppendAsync(4);
        await _ledger.Cli.RunAsync("checkpoint", "--new-key", KeyFile);
        await _ledger.Cli.RunAsync("checkpoint", "--sign", KeyFile, "--out", CheckpointFile);
        var stripped = JsonNode.Parse(await File.ReadAllTextAsync(CheckpointFile))!.AsObject();
        stripped.Remove("signature");
        await File.WriteAllTextAsync(CheckpointFile, stripped.ToJsonString());

        var verify = await _ledger.Cli.RunAsync("verify", "--checkpoint", CheckpointFile, "--public-key", KeyFile + ".pub");

        verify.ExitCode.ShouldBe(1);
        verify.Out.ShouldContain("not signed, but a public key was given");
    }

    [Fact]
    public async Task A_signing_key_that_others_can_read_is_refused()
    {
        await _ledger.Cli.RunAsync("checkpoint", "--new-key", KeyFile);
        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var run = await _ledger.Cli.RunAsync("checkpoint", "--sign", KeyFile, "--out", CheckpointFile);

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("chmod 600");
        File.Exists(CheckpointFile).ShouldBeFalse();
    }

    [Fact]
    public async Task A_file_that_is_not_a_checkpoint_is_a_usage_error()
    {
        await File.WriteAllTextAsync(CheckpointFile, "{\"hello\": 1}");

        var verify = await _ledger.Cli.RunAsync("verify", "--checkpoint", CheckpointFile);
        var missing = await _ledger.Cli.RunAsync("verify", "--checkpoint", Path.Combine(_ledger.Home, "nope.json"));

        verify.ExitCode.ShouldBe(2);
        verify.Err.ShouldContain("is not a Ledger checkpoint");
        missing.ExitCode.ShouldBe(2);
    }

    private async Task<string> HashAtAsync(long seq)
    {
        await using var conn = new Npgsql.NpgsqlConnection(_ledger.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand($"select encode(hash, 'hex') from ledger.ledger_chain where seq = {seq}", conn);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
