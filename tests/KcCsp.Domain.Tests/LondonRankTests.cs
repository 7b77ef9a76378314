namespace KcCsp.Domain.Tests;

public class LondonRankTests
{
    [Theory]
    [InlineData("9th lowest", 9)] // serious acquisitive crime
    [InlineData("6th highest", 27)] // drugs offences
    [InlineData("3rd lowest", 3)] // domestic violence
    [InlineData("4th lowest", 4)] // most serious violence
    [InlineData("11th highest", 22)] // street drinking
    [InlineData("2nd highest", 31)] // begging/vagrancy
    [InlineData("1st lowest", 1)]
    [InlineData("1st highest", 32)]
    [InlineData("16th lowest", 16)]
    [InlineData("16th highest", 17)]
    public void Reads_and_writes_the_plans_phrases(string phrase, int position)
    {
        var rank = LondonRank.Parse(phrase);
        rank.Should().Be(new LondonRank(position, 32));
        rank.Phrase.Should().Be(phrase);
        rank.ToString().Should().Be(phrase);
    }

    [Theory]
    [InlineData("9 th lowest", 9)]
    [InlineData("3 rd lowest", 3)]
    [InlineData("  6TH Highest ", 27)]
    [InlineData("=9th lowest", 9)]
    [InlineData("9 lowest", 9)]
    public void Tolerates_how_text_extraction_spaces_it(string phrase, int position) =>
        LondonRank.Parse(phrase).PositionFromLowest.Should().Be(position);

    [Theory]
    [InlineData("ninth lowest")]
    [InlineData("9th")]
    [InlineData("0th lowest")]
    [InlineData("33rd lowest")]
    [InlineData("N/A")]
    [InlineData("")]
    public void Rejects_what_is_not_a_rank(string phrase)
    {
        LondonRank.TryParse(phrase, out _).Should().BeFalse();
        var act = () => LondonRank.Parse(phrase);
        act.Should().Throw<FormatException>();
    }

    [Fact]
    public void Parses_against_another_count() => LondonRank.Parse("1st highest", count: 10).PositionFromLowest.Should().Be(10);

    [Fact]
    public void The_halfway_line_is_count_over_two()
    {
        new LondonRank(16, 32).Phrase.Should().Be("16th lowest");
        new LondonRank(17, 32).Phrase.Should().Be("16th highest");
        new LondonRank(32, 32).Phrase.Should().Be("1st highest");
        new LondonRank(1, 32).Phrase.Should().Be("1st lowest");
        new LondonRank(27, 32).Phrase.Should().Be("6th highest");
        new LondonRank(5, 10).Phrase.Should().Be("5th lowest");
        new LondonRank(6, 10).Phrase.Should().Be("5th highest");
        new LondonRank(2, 3).Phrase.Should().Be("2nd highest");
    }

    [Fact]
    public void Position_must_be_within_the_count()
    {
        var zero = () => new LondonRank(0, 32);
        var over = () => new LondonRank(33, 32);
        zero.Should().Throw<ArgumentOutOfRangeException>();
        over.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData(1, "1st")]
    [InlineData(2, "2nd")]
    [InlineData(3, "3rd")]
    [InlineData(4, "4th")]
    [InlineData(5, "5th")]
    [InlineData(6, "6th")]
    [InlineData(7, "7th")]
    [InlineData(8, "8th")]
    [InlineData(9, "9th")]
    [InlineData(10, "10th")]
    [InlineData(11, "11th")]
    [InlineData(12, "12th")]
    [InlineData(13, "13th")]
    [InlineData(14, "14th")]
    [InlineData(15, "15th")]
    [InlineData(16, "16th")]
    [InlineData(17, "17th")]
    [InlineData(18, "18th")]
    [InlineData(19, "19th")]
    [InlineData(20, "20th")]
    [InlineData(21, "21st")]
    [InlineData(22, "22nd")]
    [InlineData(23, "23rd")]
    [InlineData(24, "24th")]
    [InlineData(31, "31st")]
    [InlineData(32, "32nd")]
    [InlineData(100, "100th")]
    [InlineData(101, "101st")]
    [InlineData(102, "102nd")]
    [InlineData(111, "111th")]
    [InlineData(112, "112th")]
    [InlineData(113, "113th")]
    [InlineData(121, "121st")]
    [InlineData(1011, "1011th")]
    public void Ordinals(int n, string expected) => LondonRank.Ordinal(n).Should().Be(expected);

    private static KeyValuePair<string, decimal> A(string name, decimal rate) => new(name, rate);

    [Fact]
    public void Ranks_by_rate_lowest_first()
    {
        var rates = new[] { A("Westminster", 60.1m), A("Kensington and Chelsea", 25.46m), A("Richmond upon Thames", 12.3m), A("Camden", 40m) };
        LondonRank.Of(rates, "Richmond upon Thames").Should().Be(new LondonRank(1, 4));
        LondonRank.Of(rates, "Kensington and Chelsea").Should().Be(new LondonRank(2, 4));
        LondonRank.Of(rates, "Westminster")!.Value.Phrase.Should().Be("1st highest");
    }

    [Fact]
    public void Ties_share_the_lower_position()
    {
        var rates = new[] { A("A", 1m), A("B", 2m), A("C", 2m), A("D", 3m) };
        LondonRank.Of(rates, "A")!.Value.PositionFromLowest.Should().Be(1);
        LondonRank.Of(rates, "B")!.Value.PositionFromLowest.Should().Be(2);
        LondonRank.Of(rates, "C")!.Value.PositionFromLowest.Should().Be(2);
        LondonRank.Of(rates, "D")!.Value.PositionFromLowest.Should().Be(4);
    }

    [Fact]
    public void Area_names_ignore_case_and_absent_areas_have_no_rank()
    {
        var rates = new[] { A("Kensington and Chelsea", 25m), A("Camden", 30m) };
        LondonRank.Of(rates, "KENSINGTON AND CHELSEA").Should().Be(new LondonRank(1, 2));
        LondonRank.Of(rates, "City of London").Should().BeNull();
    }

    [Fact]
    public void Ranks_among_32_boroughs()
    {
        var rates = Enumerable.Range(1, 32).Select(i => A($"Borough {i}", i * 1.5m)).ToList();
        LondonRank.Of(rates, "Borough 9")!.Value.Phrase.Should().Be("9th lowest");
        LondonRank.Of(rates, "Borough 27")!.Value.Phrase.Should().Be("6th highest");
    }
}
