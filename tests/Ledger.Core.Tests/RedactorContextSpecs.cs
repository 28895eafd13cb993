using Ledger.Core.Text;

namespace Ledger.Core.Tests;

/// <summary>
/// Rules whose matches lie within one line run only on the lines that hold their words (a patch
/// holds them on a few lines): a secret inside a long patch must be redacted exactly as on its own.
/// </summary>
public class RedactorContextSpecs
{
    private static readonly string Before = string.Concat(Enumerable.Range(0, 120).Select(i => $"   services.jellyfin.enable = true; # line {i}\n+  networking.firewall.allowedTCPPorts = [ {8000 + i} ];\n"));
    private static readonly string After = string.Concat(Enumerable.Range(0, 80).Select(i => $"\n-  boot.loader.timeout = {i};\n   environment.systemPackages = [ pkgs.htop ];"));

    /// <summary>Every sample but a key cut after its BEGIN line: that one is redacted to the end of the text, context and all.</summary>
    public static TheoryData<string> Closed { get; } = new(SecretSamples.All.Where(s => !s.Text.Contains("-----BEGIN", StringComparison.Ordinal) || s.Text.Contains("-----END", StringComparison.Ordinal)).Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Closed))]
    public void A_secret_inside_a_long_patch_is_redacted_as_on_its_own(string name)
    {
        // Arrange
        var sample = SecretSamples.Named(name);

        // Act
        var alone = Redactor.Default.Redact(sample.Text);
        var inside = Redactor.Default.Redact(Before + sample.Text + After);

        // Assert
        inside.ShouldBe(Before + alone + After);
        foreach (var secret in sample.Secrets)
        {
            inside.ShouldNotContain(secret);
        }
    }

    [Fact]
    public void Secrets_on_lines_far_apart_and_next_to_each_other_are_all_redacted()
    {
        // Arrange
        var text = "+  services.a.token = \"tok-one-5Jx9qLm2\";\n"
            + Before
            + "+  services.b.password = \"pw-two-8Hd3kPz1\";\n+  services.c.apiKey = \"key-three-Qw7rT2yU\";\n"
            + "password=bare-four-Zx8cV1bN\n"
            + After
            + "\n   curl --token=cli-five-Lk3jH8gF https://example.org";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        foreach (var secret in new[] { "tok-one-5Jx9qLm2", "pw-two-8Hd3kPz1", "key-three-Qw7rT2yU", "bare-four-Zx8cV1bN", "cli-five-Lk3jH8gF" })
        {
            redacted.ShouldNotContain(secret);
        }

        redacted.ShouldContain(Before);
        redacted.ShouldEndWith(" https://example.org");
    }
}

/// <summary>
/// Text with non-ASCII characters has its rule words found by the ASCII search, unless it holds a
/// character that a case-insensitive regex folds onto an ASCII letter: then every rule runs.
/// </summary>
public class RedactorNonAsciiSpecs
{
    private const string Accents = "# caf\u00e9 cr\u00e8me \u2500\u2500 \U0001F3AC media box\n";

    public static TheoryData<string> Closed => RedactorContextSpecs.Closed;

    [Theory]
    [MemberData(nameof(Closed))]
    public void A_secret_next_to_non_ASCII_text_is_redacted_as_on_its_own(string name)
    {
        // Arrange
        var sample = SecretSamples.Named(name);

        // Act
        var alone = Redactor.Default.Redact(sample.Text);
        var beside = Redactor.Default.Redact(Accents + sample.Text + "\n" + Accents);

        // Assert
        beside.ShouldBe(Accents + alone + "\n" + Accents);
    }

    [Theory]
    [InlineData("to\u212Aen")] // Kelvin sign for k
    [InlineData("api_\u212Aey")]
    public void A_name_spelled_with_a_letter_that_folds_onto_ASCII_is_still_a_secret_name(string secretName)
    {
        // Arrange
        var text = Accents + $"  {secretName} = \"Zq8vN2kLp4Rt7Wx1\";\n";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        redacted.ShouldNotContain("Zq8vN2kLp4Rt7Wx1");
    }
}
