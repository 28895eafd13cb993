using Ledger.Core.Events;
using Ledger.Core.Text;

namespace Ledger.Core.Tests;

// The patches below are `git diff` output (git 2.x) unless a test says otherwise.
public class PatchRangesSpecs
{
    [Fact]
    public void A_hunk_that_only_adds_lines_gives_one_range()
    {
        // Arrange
        var patch = """
            @@ -2,4 +2,6 @@
             {
               networking.hostName = "box";
               services.openssh.enable = true;
            +  services.nginx.enable = true;
            +  networking.firewall.allowedTCPPorts = [ 80 443 ];
             }

            """;

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBe([new LineRange(5, 6)]);
    }

    [Fact]
    public void A_modified_line_inside_context_gives_the_new_line_only()
    {
        // Arrange
        var patch = """
            @@ -1,5 +1,5 @@
             { config, ... }:
             {
            -  networking.hostName = "box";
            +  networking.hostName = "server";
               services.openssh.enable = true;
             }

            """;

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBe([new LineRange(3, 3)]);
    }

    [Fact]
    public void Each_hunk_counts_from_its_own_header()
    {
        // Arrange
        var patch = """
            @@ -1,5 +1,5 @@
             a
            -b
            +B
             c
             d
             e
            @@ -10,5 +10,5 @@ i
             j
             k
             l
            -m
            -n
            +M
            +N

            """;

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBe([new LineRange(2, 2), new LineRange(13, 14)]);
    }

    [Fact]
    public void Added_runs_separated_only_by_removed_lines_merge_into_one_range()
    {
        // Arrange: interleaved -/+ lines, as hand-edited patches and some diff tools write them
        var patch = """
            @@ -1,4 +1,4 @@
             a
            -b
            +B
            -c
            +C
             d

            """;

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBe([new LineRange(2, 3)]);
    }

    [Fact]
    public void Added_runs_separated_by_a_context_line_stay_apart()
    {
        // Arrange
        var patch = """
            @@ -1,5 +1,5 @@
             a
            -b
            +B
             c
            -d
            +D
             e

            """;

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBe([new LineRange(2, 2), new LineRange(4, 4)]);
    }

    [Fact]
    public void A_hunk_that_only_removes_lines_gives_no_range()
    {
        // Arrange
        var patch = """
            diff --git a/letters.txt b/letters.txt
            index 4f7cbe7..dcb5db5 100644
            --- a/letters.txt
            +++ b/letters.txt
            @@ -1,8 +1,6 @@
             a
             b
             c
            -d
            -e
             f
             g
             h

            """;

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBeEmpty();
    }

    [Fact]
    public void A_zero_context_removal_hunk_gives_no_range()
    {
        // Arrange: `git diff -U0`
        var patch = """
            @@ -4,2 +3,0 @@ c
            -d
            -e

            """;

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBeEmpty();
    }

    [Fact]
    public void No_newline_at_end_of_file_markers_are_not_lines()
    {
        // Arrange
        var patch = """
            @@ -1,2 +1,3 @@
             one
            -two
            \ No newline at end of file
            +TWO
            +three
            \ No newline at end of file

            """;

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBe([new LineRange(2, 3)]);
    }

    [Fact]
    public void File_header_lines_before_the_first_hunk_are_neither_added_nor_removed()
    {
        // Arrange
        var patch = """
            diff --git a/configuration.nix b/configuration.nix
            index 9a39f17..5993292 100644
            --- a/configuration.nix
            +++ b/configuration.nix
            @@ -1,5 +1,5 @@
             { config, ... }:
             {
            -  networking.hostName = "box";
            +  networking.hostName = "server";
               services.openssh.enable = true;
             }

            """;

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBe([new LineRange(3, 3)]);
    }

    [Fact]
    public void The_second_file_of_a_patch_counts_from_its_own_hunk_header()
    {
        // Arrange
        var patch = """
            diff --git a/new.txt b/new.txt
            new file mode 100644
            index 0000000..85c3040
            --- /dev/null
            +++ b/new.txt
            @@ -0,0 +1,3 @@
            +alpha
            +beta
            +gamma
            diff --git a/one.txt b/one.txt
            new file mode 100644
            index 0000000..6c542ab
            --- /dev/null
            +++ b/one.txt
            @@ -0,0 +1 @@
            +only

            """;

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBe([new LineRange(1, 3)]);
    }

    [Fact]
    public void A_hunk_header_without_counts_starts_at_its_line()
    {
        // Arrange
        var patch = """
            diff --git a/one.txt b/one.txt
            new file mode 100644
            index 0000000..6c542ab
            --- /dev/null
            +++ b/one.txt
            @@ -0,0 +1 @@
            +only

            """;

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBe([new LineRange(1, 1)]);
    }

    [Fact]
    public void A_new_file_is_one_range_over_all_its_lines()
    {
        // Arrange
        var patch = """
            diff --git a/new.txt b/new.txt
            new file mode 100644
            index 0000000..85c3040
            --- /dev/null
            +++ b/new.txt
            @@ -0,0 +1,3 @@
            +alpha
            +beta
            +gamma

            """;

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBe([new LineRange(1, 3)]);
    }

    [Fact]
    public void A_blank_context_line_keeps_its_place()
    {
        // Arrange: git writes a blank context line as a single space
        var patch = Lines(
            "@@ -1,4 +1,4 @@",
            " first",
            " ",
            " second",
            "-third",
            "+THIRD");

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBe([new LineRange(4, 4)]);
    }

    [Fact]
    public void An_empty_line_inside_a_hunk_is_a_context_line_whose_space_was_stripped()
    {
        // Arrange: editors and mail clients that trim trailing whitespace leave "" for " "
        var patch = Lines(
            "@@ -1,4 +1,5 @@",
            " first",
            "+inserted",
            "",
            " second",
            "-third",
            "+THIRD");

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBe([new LineRange(2, 2), new LineRange(5, 5)]);
    }

    [Fact]
    public void Content_lines_that_end_in_CRLF_count_once_each()
    {
        // Arrange: a file with CRLF line endings; git's own separators stay LF
        var patch = Lines(
            "diff --git a/crlf.txt b/crlf.txt",
            "index 415a78b..ce5d508 100644",
            "--- a/crlf.txt",
            "+++ b/crlf.txt",
            "@@ -1,3 +1,3 @@",
            " x\r",
            "-y\r",
            "+Y\r",
            " z\r");

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBe([new LineRange(2, 2)]);
    }

    [Fact]
    public void A_patch_with_CRLF_separators_reads_like_one_with_LF()
    {
        // Arrange
        var patch = "@@ -2,3 +2,5 @@\r\n {\r\n   a = 1;\r\n+  b = 2;\r\n+  c = 3;\r\n }\r\n";

        // Act
        var ranges = PatchRanges.AddedRanges(patch);

        // Assert
        ranges.ShouldBe([new LineRange(4, 5)]);
    }

    [Fact]
    public void A_carriage_return_inside_a_line_is_part_of_the_line_issue_19()
    {
        // git ends patch lines with \n only; a lone \r (a file with old Mac line ends, a terminal
        // escape) is content. Splitting there read "c" as a context line and lost "+d".
        var patch = "@@ -1,1 +1,3 @@\n a\n+b\rc\n+d\n";

        PatchRanges.AddedRanges(patch).ShouldBe([new LineRange(2, 3)]);
    }

    [Fact]
    public void An_empty_patch_gives_no_range()
    {
        // Act
        var ranges = PatchRanges.AddedRanges("");

        // Assert
        ranges.ShouldBeEmpty();
    }

    [Fact]
    public void A_plain_diff_u_patch_of_two_files_does_not_count_the_second_header_as_added()
    {
        // diff -u a b output has no "diff --git" lines between files: the hunk counts end the hunk.
        var patch = Lines(
            "--- a/x",
            "+++ b/x",
            "@@ -1,1 +1,2 @@",
            " keep",
            "+added in x",
            "--- a/y",
            "+++ b/y",
            "@@ -4,0 +5 @@",
            "+added in y");

        PatchRanges.AddedRanges(patch).ShouldBe([new LineRange(2, 2), new LineRange(5, 5)]);
    }

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";
}
