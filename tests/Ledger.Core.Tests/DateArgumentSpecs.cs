using System.Globalization;
using Ledger.Core.Errors;
using Ledger.Core.Timeline;

namespace Ledger.Core.Tests;

public class DateArgumentSpecs
{
    private static readonly TimeZoneInfo PlusTwo = TimeZoneInfo.CreateCustomTimeZone("Test+2", TimeSpan.FromHours(2), "t", "t");

    [Fact]
    public void A_date_is_the_start_of_that_day_in_the_given_zone()
    {
        // Act
        var since = DateArgument.Parse("2026-11-27", "--since", PlusTwo);

        // Assert
        RoundTrip(since).ShouldBe("2026-11-27T00:00:00.0000000+02:00");
    }

    [Fact]
    public void A_date_with_end_of_day_is_the_last_tick_of_that_day_in_the_given_zone()
    {
        // Act
        var until = DateArgument.Parse("2026-11-27", "--until", PlusTwo, endOfDay: true);

        // Assert
        RoundTrip(until).ShouldBe("2026-11-27T23:59:59.9999999+02:00");
    }

    [Fact]
    public void An_iso_timestamp_in_utc_keeps_its_instant_and_offset()
    {
        // Act
        var since = DateArgument.Parse("2026-11-27T08:00:00Z", "--since", PlusTwo);

        // Assert
        RoundTrip(since).ShouldBe("2026-11-27T08:00:00.0000000+00:00");
    }

    [Fact]
    public void An_iso_timestamp_with_an_offset_keeps_that_offset()
    {
        // Act
        var since = DateArgument.Parse("2026-11-27T08:00:00+05:30", "--since", PlusTwo);

        // Assert
        RoundTrip(since).ShouldBe("2026-11-27T08:00:00.0000000+05:30");
    }

    [Fact]
    public void An_iso_timestamp_without_an_offset_is_read_in_the_given_zone()
    {
        // Act: Parse's documentation says "a date without an offset is read in zone"
        var since = DateArgument.Parse("2026-11-27T08:00:00", "--since", PlusTwo);

        // Assert
        RoundTrip(since).ShouldBe("2026-11-27T08:00:00.0000000+02:00");
    }

    [Fact]
    public void Text_that_is_not_a_date_is_a_usage_error_that_names_the_option_and_the_formats()
    {
        // Act
        var error = Should.Throw<LedgerException>(() => DateArgument.Parse("last tuesday", "--since", PlusTwo));

        // Assert
        error.ExitCode.ShouldBe(2);
        error.Message.ShouldContain("--since");
        error.Message.ShouldContain("last tuesday");
        error.Message.ShouldContain("YYYY-MM-DD");
        error.Message.ShouldContain("ISO 8601");
    }

    [Theory]
    [InlineData("2026-1-5")]
    [InlineData("11/27/2026")]
    [InlineData("27.11.2026")]
    public void Dates_in_other_shapes_are_refused_rather_than_guessed(string text)
    {
        var e = Should.Throw<LedgerException>(() => DateArgument.Parse(text, "--until", PlusTwo, endOfDay: true));

        e.ExitCode.ShouldBe(2);
        e.Message.ShouldContain("YYYY-MM-DD");
    }

    private static string RoundTrip(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);
}
