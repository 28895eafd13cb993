using System.Xml.Linq;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Nix;

/// <summary>
/// nix/package.nix builds from a filtered copy of the repository: every project the `ledger`
/// binary references, and every folder those projects embed files from, must be in it, or the
/// package stops building when a project or resource folder is added. Needs no Nix.
/// </summary>
public sealed class NixPackageSpecs
{
    private static readonly string Root = Checkout.Root;

    [Fact]
    public void The_package_builds_every_project_the_ledger_binary_references()
    {
        var package = File.ReadAllText(Path.Combine(Root, "nix", "package.nix"));

        var projects = ProjectClosure(Path.Combine(Root, "src", "Ledger.Cli", "Ledger.Cli.csproj"));

        projects.Count.ShouldBeGreaterThan(4);
        foreach (var name in projects.Select(Path.GetFileNameWithoutExtension))
        {
            package.ShouldContain($"\"src/{name}\"", customMessage: $"{name} is missing from the kept folders of nix/package.nix");
            package.ShouldContain($"    \"{name}\"\n", customMessage: $"{name} is missing from the projects of nix/package.nix");
        }
    }

    [Fact]
    public void The_package_keeps_every_folder_the_projects_embed_files_from()
    {
        var package = File.ReadAllText(Path.Combine(Root, "nix", "package.nix"));

        var folders = ProjectClosure(Path.Combine(Root, "src", "Ledger.Cli", "Ledger.Cli.csproj"))
            .SelectMany(p => XDocument.Load(p).Descendants("EmbeddedResource")
                .Select(e => Path.GetRelativePath(Root, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(p)!, e.Attribute("Include")!.Value.Replace('\\', '/'))))))
            .Select(rel => rel.Split('/')[0] == "src" ? string.Join('/', rel.Split('/').Take(2)) : rel.Split('/')[0])
            .Distinct()
            .ToList();

        folders.ShouldContain("projections");
        folders.ShouldContain("demo");
        foreach (var folder in folders)
        {
            package.ShouldContain($"\"{folder}\"", customMessage: $"{folder} is embedded but missing from the kept folders of nix/package.nix");
        }
    }

    private static List<string> ProjectClosure(string project)
    {
        var seen = new List<string>();
        var todo = new Stack<string>([Path.GetFullPath(project)]);
        while (todo.TryPop(out var next))
        {
            if (seen.Contains(next))
            {
                continue;
            }

            seen.Add(next);
            foreach (var reference in XDocument.Load(next).Descendants("ProjectReference"))
            {
                todo.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next)!, reference.Attribute("Include")!.Value.Replace('\\', '/'))));
            }
        }

        return seen;
    }
}
