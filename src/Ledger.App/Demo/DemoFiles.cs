using System.Reflection;
using System.Text;

namespace Ledger.App.Demo;

/// <summary>
/// The files of the demo's commits, embedded from demo/commits/ at the repository root: one folder per
/// commit holding the files that commit writes, at their paths in the demo repository.
/// </summary>
internal static class DemoFiles
{
    private const string Root = "demo/commits/";

    /// <summary>The files under one commit's folder, by their path in the demo repository ('/'-separated).</summary>
    public static IReadOnlyDictionary<string, string> Of(string commitFolder)
    {
        var assembly = typeof(DemoFiles).Assembly;
        var prefix = Root + commitFolder + "/";
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            // %(RecursiveDir) in the resource's LogicalName carries the build machine's separator.
            var path = name.Replace('\\', '/');
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                files[path[prefix.Length..]] = Read(assembly, name);
            }
        }

        return files.Count > 0
            ? files
            : throw new InvalidOperationException($"No embedded demo files under {prefix}: the build did not embed demo/commits/ (see Ledger.App.csproj).");
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, new UTF8Encoding(false));
        return reader.ReadToEnd();
    }
}
