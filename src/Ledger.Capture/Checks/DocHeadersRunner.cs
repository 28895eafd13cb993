using Ledger.Core.Validation;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace Ledger.Capture.Checks;

/// <summary>Every file matching the globs under the root starts with a header naming purpose, date and rollback.</summary>
internal static class DocHeadersRunner
{
    public static CheckOutcome Run(DocHeadersCheck check, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(check.Root))
        {
            return CheckOutcome.Error($"{check.Root} does not exist", [new Finding(check.Root, "does not exist; set \"root\" to the configuration folder")]);
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddIncludePatterns(check.Globs);
        matcher.AddExcludePatterns(check.Exclude);
        var files = matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(check.Root)))
            .Files.Select(f => f.Path).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            // Checking nothing is not a pass: the globs or the root are probably wrong.
            return CheckOutcome.Error(
                $"no file under {check.Root} matches {string.Join(", ", check.Globs)}",
                [new Finding(check.Root, $"no file matches {string.Join(", ", check.Globs)}; check \"root\" and \"globs\"")]);
        }

        var findings = new List<Finding>();
        var report = new List<string>();
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var problem = Inspect(Path.Combine(check.Root, file));
            report.Add(problem is null ? $"ok      {file}" : $"missing {file}: {problem}");
            if (problem is not null)
            {
                findings.Add(new Finding(file, problem));
            }
        }

        var output = string.Join('\n', report);
        return findings.Count == 0
            ? CheckOutcome.Pass($"all {files.Count} files have a header naming purpose, date and rollback", output)
            : CheckOutcome.Fail($"{findings.Count} of {files.Count} files lack a complete header: {string.Join(", ", findings.Take(3).Select(f => f.Subject))}{(findings.Count > 3 ? ", ..." : "")}", findings, output);
    }

    private static string? Inspect(string path)
    {
        IReadOnlyList<string> header;
        try
        {
            using var reader = new StreamReader(path);
            header = DocHeader.Read(reader);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"could not be read: {ex.Message}";
        }

        if (header.Count == 0)
        {
            return "has no header comment; start it with comment lines naming its purpose, the date (YYYY-MM-DD) and how to roll back";
        }

        var lacks = DocHeader.Lacks(header);
        return lacks.Count == 0 ? null : $"header comment lacks {string.Join(" and ", lacks)}";
    }
}
