using Ledger.IntegrationTests.Support;
namespace Ledger.IntegrationTests.Projections;

/// <summary>
/// The golden outputs in projections/examples/. Set LEDGER_UPDATE_GOLDEN=1 to rewrite them from the
/// current output (then read the diff before committing it).
/// </summary>
internal static class Golden
{
    public static string Examples { get; } = Path.Combine(Checkout.Root, "projections", "examples");

    public static bool Update => Environment.GetEnvironmentVariable("LEDGER_UPDATE_GOLDEN") == "1";

    /// <summary>Compares every file under <paramref name="produced"/> with the same path under examples/<paramref name="name"/>, byte for byte.</summary>
    public static void Compare(string produced, string name)
    {
        var expected = Path.Combine(Examples, name);
        if (Update)
        {
            if (Directory.Exists(expected))
            {
                Directory.Delete(expected, recursive: true);
            }

            Directory.CreateDirectory(expected);
            foreach (var f in Directory.GetFiles(produced))
            {
                File.Copy(f, Path.Combine(expected, Path.GetFileName(f)));
            }
        }

        var producedNames = Directory.GetFiles(produced).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var expectedNames = Directory.GetFiles(expected).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        producedNames.ShouldBe(expectedNames);
        foreach (var n in producedNames)
        {
            File.ReadAllText(Path.Combine(produced, n!)).ShouldBe(File.ReadAllText(Path.Combine(expected, n!)), $"{n} differs from projections/examples/{name}/{n} (LEDGER_UPDATE_GOLDEN=1 rewrites it)");
            File.ReadAllBytes(Path.Combine(produced, n!)).ShouldBe(File.ReadAllBytes(Path.Combine(expected, n!)), n);
        }
    }
}
