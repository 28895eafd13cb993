using System.Text.Json;
using System.Text.RegularExpressions;
using Ledger.Core.Events;

namespace Ledger.Core.Tests;

public partial class EventCatalogueSpecs
{
    public static TheoryData<string> Aliases { get; } = new(EventCatalogue.All.Select(d => d.Alias));

    [Fact]
    public void Every_event_type_in_the_assembly_is_in_the_catalogue()
    {
        // Arrange
        var eventTypes = typeof(ILedgerEvent).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(ILedgerEvent).IsAssignableFrom(t));

        // Act
        var catalogued = EventCatalogue.All.Select(d => d.Type);

        // Assert
        eventTypes.ShouldBe(catalogued, ignoreOrder: true);
    }

    [Fact]
    public void Aliases_are_unique_snake_case_names()
    {
        // Act
        var aliases = EventCatalogue.All.Select(d => d.Alias).ToList();

        // Assert
        aliases.ShouldBeUnique();
        aliases.ShouldAllBe(a => SnakeCase().IsMatch(a));
    }

    [Fact]
    public void Kinds_are_kebab_case_names()
    {
        // Act
        var kinds = EventCatalogue.Kinds;

        // Assert
        kinds.ShouldAllBe(k => KebabCase().IsMatch(k));
    }

    [Fact]
    public void The_deploy_kind_covers_a_deploy_starting_and_finishing()
    {
        // Act
        var aliases = EventCatalogue.AliasesOfKind("deploy");

        // Assert
        aliases.ShouldBe(["deploy_started", "deploy_finished"], ignoreOrder: true);
    }

    [Fact]
    public void An_unknown_kind_has_no_aliases()
    {
        // Act
        var aliases = EventCatalogue.AliasesOfKind("nope");

        // Assert
        aliases.ShouldBeEmpty();
    }

    [Fact]
    public void The_title_of_a_config_edit_shows_the_short_sha_the_purpose_and_the_line_counts()
    {
        // Arrange
        var edit = Samples.ConfigEdited with
        {
            Sha = "3f2a9c1d7e5b4a6091c2d3e4f5a6b7c8d9e0f1a2",
            Purpose = "Enable nginx",
            LinesAdded = 12,
            LinesRemoved = 3,
        };

        // Act
        var title = EventCatalogue.Title(edit);

        // Assert
        title.ShouldContain("3f2a9c1d");
        title.ShouldNotContain("3f2a9c1d7");
        title.ShouldContain("Enable nginx");
        title.ShouldContain("+12/-3");
    }

    [Fact]
    public void There_is_a_sample_of_every_catalogued_event()
    {
        // Assert
        Samples.All.Select(e => e.GetType()).ShouldBe(EventCatalogue.All.Select(d => d.Type), ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(Aliases))]
    public void Every_event_reads_back_from_its_json(string alias)
    {
        // Arrange
        var type = EventCatalogue.FindAlias(alias).ShouldNotBeNull().Type;
        var sample = Samples.Of(type);
        var json = JsonSerializer.Serialize(sample, type, EventJson.Options);

        // Act
        var readBack = JsonSerializer.Deserialize(json, type, EventJson.Options);

        // Assert: lists and dictionaries come back as new instances, so compare what they write
        readBack.ShouldBeOfType(type);
        JsonSerializer.Serialize(readBack, type, EventJson.Options).ShouldBe(json);
    }

    [Fact]
    public void Event_json_uses_camel_case_property_names()
    {
        // Act
        var json = JsonSerializer.Serialize(Samples.RepositoryRegistered, EventJson.Options);

        // Assert
        json.ShouldBe("""{"host":"box","actor":"root","repo":"/etc/nixos","branch":"main","hookInstalled":true}""");
    }

    [Fact]
    public void Event_json_writes_enums_as_camel_case_strings()
    {
        // Arrange
        var renamed = Samples.ConfigEdited.Files[0] with { Kind = FileChangeKind.Renamed };

        // Act
        var json = JsonSerializer.Serialize(renamed, EventJson.Options);

        // Assert
        json.ShouldContain("\"kind\":\"renamed\"");
    }

    [Fact]
    public void A_line_range_is_written_without_its_count()
    {
        // Act
        var json = JsonSerializer.Serialize(new LineRange(3, 5), EventJson.Options);

        // Assert
        json.ShouldBe("""{"start":3,"end":5}""");
    }

    [Fact]
    public void Alert_labels_keep_the_case_of_their_keys()
    {
        // Arrange
        var fired = Samples.AlertFired with
        {
            Labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["alertname"] = "DiskFull",
                ["Instance"] = "box:9100",
            },
        };

        // Act
        var json = JsonSerializer.Serialize(fired, EventJson.Options);
        var readBack = JsonSerializer.Deserialize<AlertFired>(json, EventJson.Options).ShouldNotBeNull();

        // Assert
        json.ShouldContain("""
            "labels":{"alertname":"DiskFull","Instance":"box:9100"}
            """);
        readBack.Labels.Keys.ShouldBe(["alertname", "Instance"], ignoreOrder: true);
    }

    [GeneratedRegex("^[a-z]+(_[a-z]+)*$")]
    private static partial Regex SnakeCase();

    [GeneratedRegex("^[a-z]+(-[a-z]+)*$")]
    private static partial Regex KebabCase();
}

public class EventJsonContextSpecs
{
    public static TheoryData<string> Aliases { get; } = new(EventCatalogue.All.Select(d => d.Alias));

    [Theory]
    [MemberData(nameof(Aliases))]
    public void Every_catalogued_event_has_compile_time_metadata(string alias)
    {
        // Arrange
        var type = EventCatalogue.FindAlias(alias)!.Type;

        // Act
        var info = EventJsonContext.Default.GetTypeInfo(type);

        // Assert: without it the event is serialised by reflection, which is what the hook path avoids.
        info.ShouldNotBeNull();
    }

    [Fact]
    public void Generated_metadata_keeps_the_stored_shape_camel_case_names_and_enum_values()
    {
        // Arrange
        var e = new ConfigEdited(
            "alpha", "alice", "/etc/nixos", "abc", ["p1"], "Alice", "alice@example.org", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            "msg\n", "msg", [new FileChange("a.nix", null, FileChangeKind.Added, 1, 0, [], false, "+x")], 1, 0);

        // Act
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(e, EventJson.Options));

        // Assert
        var root = doc.RootElement;
        root.GetProperty("host").GetString().ShouldBe("alpha");
        root.GetProperty("authorEmail").GetString().ShouldBe("alice@example.org");
        root.GetProperty("files")[0].GetProperty("kind").GetString().ShouldBe("added");
        root.GetProperty("files")[0].GetProperty("oldPath").ValueKind.ShouldBe(JsonValueKind.Null);
        JsonSerializer.Deserialize<ConfigEdited>(root.GetRawText(), EventJson.Options)!.Files[0].Patch.ShouldBe("+x");
    }
}
