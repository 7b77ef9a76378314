using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace KcCsp.Web.Tests.Importing;

/// <summary>
/// The Categories page with both real MPS files in ../shared/data imported (hundreds of category names): it lists the
/// canonical categories once, stays small, and an analyst still maps, unmaps and remaps any name from it in one post —
/// typed or picked from the one list, or by one of the suggestions for a name nobody has mapped.
/// </summary>
public sealed class CategoriesPageRealDataTests
{
    /// <summary>The page with both files imported was 2.0 MB (a select of 77 categories in each of 212 rows); now about 210 KB.</summary>
    private const int MaxPageBytes = 250_000;

    [Fact]
    public async Task With_both_real_files_imported_the_page_is_small_and_every_name_can_be_mapped_from_it()
    {
        await using var factory = new PortalFactory();
        await ImportTests.ImportAsync(factory, TestEnvironment.DataFile("mps/mps-borough-level-crime-historic-2008-2016.csv"));
        await ImportTests.ImportAsync(factory, TestEnvironment.DataFile("mps/mps-borough-level-crime-2010-04-to-2022-02.csv"));
        var analyst = await factory.SignedInClientAsync("Analyst");

        var page = await analyst.GetStringAsync("/categories");
        var rows = Regex.Matches(page, "<tr data-alias=\"(\\d+)\"").Count;
        rows.Should().BeGreaterThan(200, "both files' names are listed");
        Encoding.UTF8.GetByteCount(page).Should().BeLessThan(MaxPageBytes);
        var categories = Regex.Matches(page, "<tr data-category=").Count;
        categories.Should().BeGreaterThanOrEqualTo(77);
        // The categories once in the list (and the "not mapped" choice), never a list per row.
        Regex.Matches(page, "<option ").Count.Should().Be(categories + 1);
        Regex.Matches(page, "<datalist ").Count.Should().Be(1);
        Regex.Matches(page, "list=\"category-list\"").Count.Should().Be(rows);

        var before = await BurglaryAsync(factory);
        before.Should().BeGreaterThan(0);

        // Unmap the 2008–2016 releases' dwelling burglaries, through the row's own field.
        var (alias, row) = Alias(page, "Burglary in a Dwelling");
        row.Should().Contain("data-maps-to=\"residential-burglary\"");
        var unmapped = await PostAsync(analyst, page, alias, "category", "(not mapped)");
        unmapped.StatusCode.Should().Be(HttpStatusCode.OK);
        var afterUnmap = await unmapped.Content.ReadAsStringAsync();
        afterUnmap.Should().Contain("Mapping saved; measures recomputed:");
        (await BurglaryAsync(factory)).Should().BeNull("no other name of that release counts as residential burglary: the months have no value");

        // Now nobody has mapped it: the page suggests the closest categories, and the first maps it in one click.
        (alias, row) = Alias(afterUnmap, "Burglary in a Dwelling");
        row.Should().Contain("class=\"unmapped\"").And.Contain("data-maps-to=\"\"");
        var suggestion = Regex.Match(row, "data-suggestion=\"residential-burglary\"[^>]*>\\s*<input[^>]*name=\"categoryId\" value=\"(\\d+)\"");
        suggestion.Success.Should().BeTrue(row);
        var remapped = await PostAsync(analyst, afterUnmap, alias, "categoryId", suggestion.Groups[1].Value);
        (await remapped.Content.ReadAsStringAsync()).Should().Contain("Mapping saved");
        (await BurglaryAsync(factory)).Should().Be(before);

        // Remapped by name as the list shows it (case and spacing aside), and back by code; a name that is no category is refused, nothing changed.
        page = await analyst.GetStringAsync("/categories");
        (await (await PostAsync(analyst, page, alias, "category", "burglary:  Burglary of business and community PREMISES")).Content.ReadAsStringAsync()).Should().Contain("Mapping saved");
        page = await analyst.GetStringAsync("/categories");
        Alias(page, "Burglary in a Dwelling").Row.Should().Contain("data-maps-to=\"business-burglary\"");
        var refused = await PostAsync(analyst, page, alias, "category", "Burglary of a castle");
        refused.StatusCode.Should().Be((HttpStatusCode)422);
        WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()).Should().Contain("category: 'Burglary of a castle' is not a category's code or name; nothing was changed.");
        Alias(await analyst.GetStringAsync("/categories"), "Burglary in a Dwelling").Row.Should().Contain("data-maps-to=\"business-burglary\"");
        await PostAsync(analyst, page, alias, "category", "residential-burglary");
        (await BurglaryAsync(factory)).Should().Be(before);
    }

    /// <summary>Residential burglary in Kensington and Chelsea, April 2009 to March 2010 (inside the 2008–2016 release only).</summary>
    private static async Task<decimal?> BurglaryAsync(PortalFactory factory) =>
        (await ImportTests.MeasureAsync(factory, "residential-burglary", "2009/10", 3)).GetProperty("value") is { ValueKind: System.Text.Json.JsonValueKind.Number } v ? v.GetDecimal() : null;

    /// <summary>The row of the name under the major category Burglary (the seed also has it under any major category).</summary>
    private static (string Id, string Row) Alias(string page, string minor)
    {
        var row = Regex.Matches(page, "<tr data-alias=\"(\\d+)\".*?</tr>", RegexOptions.Singleline)
            .Single(m => Regex.IsMatch(m.Value, $"<td>Burglary</td>\\s*<td>{Regex.Escape(minor)}</td>"));
        return (row.Groups[1].Value, row.Value);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string alias, string field, string value) =>
        client.PostAsync($"/categories/aliases/{alias}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Forms.Token(page), [field] = value,
        }));
}
