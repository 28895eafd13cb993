namespace Ledger.IntegrationTests.Support;

/// <summary>The checkout the tests run from.</summary>
public static class Checkout
{
    /// <summary>The checkout's root: the folder above the test binaries that holds Ledger.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ledger.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ledger.sln not found above " + AppContext.BaseDirectory);
    }
}
