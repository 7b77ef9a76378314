namespace KcCsp.Domain.Tests;

public class TargetStatusTextTests
{
    [Theory]
    [InlineData(TargetStatus.Met, "met", "✓")]
    [InlineData(TargetStatus.NotMet, "not met", "×")]
    [InlineData(TargetStatus.OnTrack, "on track", "↗")]
    [InlineData(TargetStatus.OffTrack, "off track", "↘")]
    [InlineData(TargetStatus.NoTarget, "no target", "–")]
    public void Every_status_has_a_word_and_an_icon(TargetStatus status, string word, string icon)
    {
        TargetStatusText.Word(status).Should().Be(word);
        TargetStatusText.Icon(status).Should().Be(icon);
        TargetStatusText.ParseWord(word).Should().Be(status);
        TargetStatusText.ParseWord(icon).Should().Be(status);
    }

    [Theory]
    [InlineData("Met", TargetStatus.Met)]
    [InlineData("NOT MET", TargetStatus.NotMet)]
    [InlineData("not-met", TargetStatus.NotMet)]
    [InlineData("  on   track ", TargetStatus.OnTrack)]
    [InlineData("off_track", TargetStatus.OffTrack)]
    [InlineData("None", TargetStatus.NoTarget)]
    [InlineData("N/A", TargetStatus.NoTarget)]
    [InlineData("-", TargetStatus.NoTarget)]
    public void Reads_the_plans_marks(string text, TargetStatus expected) =>
        TargetStatusText.ParseWord(text).Should().Be(expected);

    [Fact]
    public void Rejects_unknown_words()
    {
        var act = () => TargetStatusText.ParseWord("amber");
        act.Should().Throw<FormatException>().WithMessage("*'amber'*");
        TargetStatusText.TryParseWord("", out _).Should().BeFalse();
        TargetStatusText.TryParseWord(null, out _).Should().BeFalse();
    }

    [Fact]
    public void Every_enum_value_has_a_distinct_word_and_icon()
    {
        var all = Enum.GetValues<TargetStatus>();
        all.Select(TargetStatusText.Word).Should().OnlyHaveUniqueItems();
        all.Select(TargetStatusText.Icon).Should().OnlyHaveUniqueItems();
    }
}
