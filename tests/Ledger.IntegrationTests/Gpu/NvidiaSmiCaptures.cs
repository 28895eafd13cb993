using Ledger.IntegrationTests.Support;
namespace Ledger.IntegrationTests.Gpu;

/// <summary>
/// The real nvidia-smi captures in tests/fixtures/nvidia-smi, split into their sections. A section
/// starts with a rule, "# PHASE :: TITLE", "# $ COMMAND" and a rule, and runs to the next rule.
/// </summary>
public static class NvidiaSmiCaptures
{
    public const string Rtx2080Super = "linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05.txt";
    public const string L40S = "linux-x86_64__nvidia-l40s__595.80.txt";

    private static readonly string Rule = new('#', 80);

    public static string Folder { get; } = Path.Combine(Checkout.Root, "tests", "fixtures", "nvidia-smi");

    public static IReadOnlyList<string> Files { get; } =
        Directory.GetFiles(Folder, "*.txt").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    public static IEnumerable<CaptureSection> AllSections => Files.SelectMany(Sections);

    /// <summary>The sections whose command matches, e.g. "--query-gpu=" with "--format=csv".</summary>
    public static IEnumerable<CaptureSection> Queries(string query) =>
        AllSections.Where(s => s.Command.Contains($" {query}", StringComparison.Ordinal) && s.Command.EndsWith(" --format=csv", StringComparison.Ordinal));

    public static CaptureSection Section(string file, string phase, string query) =>
        Queries(query).Single(s => s.File == file && s.Phase == phase);

    public static IReadOnlyList<CaptureSection> Sections(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, file));
        var sections = new List<CaptureSection>();
        for (var i = 0; i + 3 < lines.Length; i++)
        {
            if (lines[i] != Rule || !lines[i + 1].StartsWith("# ", StringComparison.Ordinal) || !lines[i + 2].StartsWith("# $ ", StringComparison.Ordinal) || lines[i + 3] != Rule)
            {
                continue;
            }

            var heading = lines[i + 1][2..].Split(" :: ", 2);
            var body = new List<string>();
            var j = i + 4;
            for (; j < lines.Length && lines[j] != Rule; j++)
            {
                body.Add(lines[j]);
            }

            while (body.Count > 0 && body[^1].Length == 0)
            {
                body.RemoveAt(body.Count - 1);
            }

            sections.Add(new CaptureSection(file, heading[0], heading[^1], lines[i + 2][4..], body.Count == 0 ? "" : string.Join('\n', body) + "\n"));
            i = j - 1;
        }

        return sections;
    }
}
