using System.Diagnostics;
using System.Text;
using KcCsp.Data.Partnerships;

namespace KcCsp.Web.Tests.Partnerships;

/// <summary>A plan file's errors name the file, the line and the field, all at once (docs/plan-format.md, "Errors").</summary>
public sealed class PlanFileReaderTests
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KcCsp.sln"))) return dir.FullName;
        throw new InvalidOperationException("No KcCsp.sln above " + AppContext.BaseDirectory);
    }

    public static string PlanPath(string name) => Path.Combine(Root, "plans", name);

    private static PlanFileRead Read(string text, string name = "maidstone.json") => PlanFileReader.Read(name, Encoding.UTF8.GetBytes(text));

    /// <summary>The 1-based line of the first line containing <paramref name="marker"/>.</summary>
    private static int LineOf(string text, string marker) =>
        text.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains(marker, StringComparison.Ordinal)).i + 1;

    private const string Minimal = """
        {
          "formatVersion": 1,
          "code": "maidstone-2022-2025",
          "title": "Maidstone Community Safety Partnership Plan 2022-2025",
          "partnership": "Safer Maidstone Partnership",
          "years": "2022-2025",
          "localAuthority": { "code": "E07000110", "name": "Maidstone" },
          "reportingYear": "2022/23",
          "reportingToMonth": 11,
          "priorities": [
            {
              "code": "safe-town-centre",
              "title": "A safe town centre",
              "aim": "Provide a Safe Town Centre",
              "measures": [
                { "code": "shoplifting", "name": "Shoplifting", "unit": "Count", "polarity": "LowerIsBetter", "source": "CrimeExtract",
                  "categories": ["police-uk-shoplifting"] }
              ],
              "actions": [ { "text": "Patrol the high street", "leadAgency": "Kent Police", "dueDate": "2023-03-31" } ]
            }
          ],
          "otherMeasures": [
            { "code": "all-crime", "name": "All crime", "unit": "Count", "polarity": "LowerIsBetter", "source": "CrimeExtract",
              "categories": ["police-uk-shoplifting", "police-uk-burglary"] },
            { "code": "charged", "name": "Charged or summonsed", "unit": "Percentage", "polarity": "HigherIsBetter", "source": "CrimeExtract",
              "shareOf": "all-crime", "categories": ["police-uk-shoplifting-charged"] }
          ],
          "actionsYear": "2022/23",
          "targets": [ { "year": "2022/23", "measure": "shoplifting", "form": "ChangeAgainstPreviousYear", "value": -2, "asPrinted": "-2%" } ]
        }
        """;

    [Fact]
    public void A_good_file_reads_with_every_field_typed()
    {
        var read = Read(Minimal);
        read.Errors.Should().BeEmpty();
        var plan = read.Document!;
        plan.LocalAuthority.Should().Be(new AreaReference("E07000110", "Maidstone"));
        plan.ReportingYear.StartYear.Should().Be(2022);
        plan.Priorities[0].Actions[0].DueDate.Should().Be(new DateOnly(2023, 3, 31));
        plan.OtherMeasures[1].ShareOf.Should().Be("all-crime");
        plan.Targets.Single().Value.Should().Be(-2);
    }

    [Fact]
    public void A_syntax_error_names_file_line_and_column()
    {
        var text = Minimal.Replace("\"years\": \"2022-2025\",", "\"years\": \"2022-2025\"");
        var read = Read(text);
        read.Document.Should().BeNull();
        var line = LineOf(text, "\"localAuthority\"");
        read.Errors.Should().ContainSingle().Which.Should().StartWith($"maidstone.json:{line}:3: ").And.Contain("Expected either ','").And.NotContain("LineNumber");
    }

    [Theory]
    [InlineData("", "maidstone.json:1:1: the file is empty")]
    [InlineData("   \n\n", "maidstone.json:1:1: the file is empty")]
    [InlineData("Borough,Major Category\nKensington,Robbery\n", "maidstone.json:1:1: ")]
    [InlineData("[1, 2]", "maidstone.json:1 (the file): a plan file is one JSON object, not a list.")]
    [InlineData("\"a plan\"", "maidstone.json:1 (the file): a plan file is one JSON object, not a text.")]
    public void Empty_files_and_files_that_are_not_json_objects_are_refused(string text, string expected)
    {
        var read = Read(text);
        read.Document.Should().BeNull();
        read.Errors.Should().ContainSingle().Which.Should().StartWith(expected);
    }

    [Fact]
    public void A_ten_megabyte_file_is_refused_before_it_is_parsed()
    {
        var big = new StringBuilder("{\"formatVersion\": 1, \"aboutThePlan\": \"");
        big.Append('x', 10 * 1024 * 1024);
        big.Append("\"}");
        var bytes = Encoding.UTF8.GetBytes(big.ToString());
        var clock = Stopwatch.StartNew();
        var read = PlanFileReader.Read("huge.json", bytes);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
        read.Document.Should().BeNull();
        read.Errors.Should().ContainSingle().Which.Should().StartWith($"huge.json:1:1: the file is {bytes.Length:N0} bytes; a plan file is at most 2,097,152 bytes");
    }

    [Fact]
    public void Deeply_nested_json_is_refused_with_its_position()
    {
        var read = Read(new string('[', 200) + new string(']', 200));
        read.Document.Should().BeNull();
        read.Errors.Should().ContainSingle().Which.Should().StartWith("maidstone.json:1:");
    }

    [Fact]
    public void Wrong_types_are_all_reported_with_their_lines_and_paths()
    {
        var text = Minimal
            .Replace("\"reportingToMonth\": 11", "\"reportingToMonth\": \"November\"")
            .Replace("\"categories\": [\"police-uk-shoplifting\"] }", "\"categories\": [\"police-uk-shoplifting\", 7], \"headline\": \"yes\" }")
            .Replace("\"value\": -2", "\"value\": \"-2%\"");
        var read = Read(text);
        read.Document.Should().BeNull();
        read.Errors.Should().BeEquivalentTo(
        [
            $"maidstone.json:{LineOf(text, "reportingToMonth")} reportingToMonth: expected a number, found a text.",
            $"maidstone.json:{LineOf(text, "\"headline\": \"yes\"")} priorities[0].measures[0].headline: expected true or false, found a text.",
            $"maidstone.json:{LineOf(text, "\"headline\": \"yes\"")} priorities[0].measures[0].categories[1]: expected category codes (a text), found a number.",
            $"maidstone.json:{LineOf(text, "\"value\": \"-2%\"")} targets[0].value: expected a number, found a text.",
        ]);
    }

    [Fact]
    public void Meaning_errors_are_all_reported_at_once_with_lines_and_paths()
    {
        var text = Minimal
            .Replace("\"code\": \"E07000110\"", "\"code\": \"Maidstone BC\"")
            .Replace("\"reportingYear\": \"2022/23\"", "\"reportingYear\": \"2022/24\"")
            .Replace("\"name\": \"All crime\", \"unit\": \"Count\"", "\"name\": \"All crime\", \"unit\": \"Number\"")
            .Replace("\"code\": \"charged\"", "\"code\": \"shoplifting\"")
            .Replace("\"measure\": \"shoplifting\"", "\"measure\": \"shoplfting\"")
            .Replace("\"dueDate\": \"2023-03-31\"", "\"dueDate\": \"31/03/2023\"")
            .Replace("\"title\": \"A safe town centre\",", "\"titel\": \"A safe town centre\",");
        var read = Read(text);
        read.Document.Should().BeNull();
        read.Errors.Should().BeEquivalentTo(
        [
            $"maidstone.json:{LineOf(text, "Maidstone BC")} localAuthority.code: 'Maidstone BC' is not shaped like an ONS code: a letter E, W, S or N and eight digits, e.g. \"E07000110\".",
            $"maidstone.json:{LineOf(text, "2022/24")} reportingYear: '2022/24' is not a financial year: a financial year runs April to March, so 2022 must be followed by 23.",
            $"maidstone.json:{LineOf(text, "\"safe-town-centre\"") - 1} priorities[0]: the field 'title' (a text) is required.",
            $"maidstone.json:{LineOf(text, "\"titel\"")} priorities[0].titel: 'titel' is not a field of this element; the fields are: code, title, aim, introduction, narrative, reviews, measures, actions.",
            $"maidstone.json:{LineOf(text, "31/03/2023")} priorities[0].actions[0].dueDate: '31/03/2023' is not a date: expected YYYY-MM-DD, e.g. \"2011-03-31\".",
            $"maidstone.json:{LineOf(text, "Number")} otherMeasures[0].unit: 'Number' is not one of Count, RatePer1000, Percentage.",
        ]);

        // The second pass (codes, references) runs once every field reads: fix the field errors, and it reports the rest together.
        var second = text.Replace("Maidstone BC", "E07000110").Replace("2022/24", "2022/23").Replace("Number", "Count").Replace("31/03/2023", "2023-03-31").Replace("titel", "title");
        var read2 = Read(second);
        read2.Errors.Should().BeEquivalentTo(
        [
            $"maidstone.json:{LineOf(second, "\"code\": \"shoplifting\", \"name\": \"Charged")} otherMeasures[1].code: the measure code 'shoplifting' is used twice: codes are unique within a plan.",
            $"maidstone.json:{LineOf(second, "shoplfting")} targets[0].measure: there is no measure 'shoplfting' in this plan (did you mean 'shoplifting'?).",
        ]);
    }

    [Fact]
    public void References_to_measures_not_in_the_file_are_named()
    {
        var text = Minimal.Replace("\"shareOf\": \"all-crime\"", "\"shareOf\": \"all-crimes\"");
        var read = Read(text);
        read.Errors.Should().ContainSingle().Which.Should().Be(
            $"maidstone.json:{LineOf(text, "all-crimes")} otherMeasures[1].shareOf: there is no measure 'all-crimes' in this plan (did you mean 'all-crime'?).");
    }

    [Fact]
    public void A_missing_required_field_is_placed_at_the_object_that_lacks_it()
    {
        var text = Minimal.Replace("  \"partnership\": \"Safer Maidstone Partnership\",\n", "");
        var read = Read(text);
        read.Errors.Should().ContainSingle().Which.Should().Be("maidstone.json:1 (the file): the field 'partnership' (a text) is required.");
    }

    [Fact]
    public void The_shipped_plan_files_read_without_errors_and_write_back_in_their_canonical_form()
    {
        foreach (var name in new[] { "kc-2010-2013.json", "maidstone-2022-2025.json" })
        {
            var read = PlanFileReader.Read(name, File.ReadAllBytes(PlanPath(name)));
            read.Errors.Should().BeEmpty(name);
            var canonical = PlanFileWriter.Write(read.Document!);
            var again = PlanFileReader.Read(name, Encoding.UTF8.GetBytes(canonical));
            PlanFileWriter.Write(again.Document!).Should().Be(canonical, "writing is a fixed point");
        }
    }

    /// <summary>
    /// K&amp;C's measures are defined twice: by its plan file (new databases) and by Seed/categories.json's "measures" section,
    /// which keeps databases seeded before plans were files in step when a later seed adds a category. The two agree.
    /// </summary>
    [Fact]
    public void KC_plan_file_defines_its_measures_as_the_category_seed_does()
    {
        var read = PlanFileReader.Read("kc-2010-2013.json", File.ReadAllBytes(PlanPath("kc-2010-2013.json")));
        var fromFile = read.Document!.AllMeasures.Where(m => m.Categories.Count > 0).ToDictionary(m => m.Code, m => m.Categories.Order().ToList());
        using var seed = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "src", "KcCsp.Data", "Seed", "categories.json")));
        var fromSeed = seed.RootElement.GetProperty("measures").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(c => c.GetString()!).Order().ToList());
        fromFile.Should().BeEquivalentTo(fromSeed);
    }
}
