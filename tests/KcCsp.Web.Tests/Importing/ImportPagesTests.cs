using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace KcCsp.Web.Tests.Importing;

/// <summary>The analysts' pages, as a browser uses them: upload, validation report, details, rollback, mapping.</summary>
public sealed class ImportPagesTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private static string Token(string html) =>
        Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

    private static MultipartFormDataContent Upload(string token, string fileName, string content)
    {
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        return form;
    }

    [Fact]
    public async Task Upload_shows_the_summary_then_rollback_and_mapping_work_from_the_pages()
    {
        var client = await factory.SignedInClientAsync("Analyst");
        var page = await client.GetStringAsync("/imports");
        page.Should().Contain("data-upload-form").And.Contain("/js/imports.js").And.NotContain("<script>");

        var response = await client.PostAsync("/imports", Upload(Token(page), "extract.csv",
            "Borough,Major Category,Minor Category,200904,200905\r\n" +
            "Kensington and Chelsea,Burglary,Burglary in a Dwelling,10,12\r\n" +
            "Kensington and Chelsea,Burglary,Brand New Burglary Type,1,1\r\n"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/imports/1");
        var details = await response.Content.ReadAsStringAsync();
        details.Should().Contain("Import #1: extract.csv").And.Contain("Burglary").And.Contain("24")
            .And.Contain("Brand New Burglary Type").And.Contain("2009-04 to 2009-05");

        var categories = await client.GetStringAsync("/categories");
        var aliasId = Regex.Match(categories, "data-alias=\"(\\d+)\" class=\"unmapped\"").Groups[1].Value;
        // The page lists the categories once; each row's field takes a category's code (or name) from that list.
        var residential = Regex.Match(categories, "<option value=\"([a-z0-9-]+)\">Burglary: Residential burglary</option>").Groups[1].Value;
        aliasId.Should().NotBeEmpty();
        residential.Should().Be("residential-burglary");
        categories.Should().Contain($"<input id=\"alias-{aliasId}\" name=\"category\" list=\"category-list\"");
        var mapped = await client.PostAsync($"/categories/aliases/{aliasId}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(categories), ["category"] = residential,
        }));
        (await mapped.Content.ReadAsStringAsync()).Should().Contain("measures recomputed: 2 area-months changed");
        (await ImportTests.MeasureAsync(factory, "residential-burglary", toMonth: 5)).GetProperty("value").GetDecimal().Should().Be(24);

        var rolledBack = await client.PostAsync("/imports/1/rollback", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(details),
        }));
        (await rolledBack.Content.ReadAsStringAsync()).Should().Contain("rolled back");
        (await ImportTests.MeasureAsync(factory, "residential-burglary", toMonth: 5)).GetProperty("value").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task A_bad_upload_gets_400_and_the_validation_report()
    {
        var client = await factory.SignedInClientAsync("Analyst");
        var page = await client.GetStringAsync("/imports");
        var response = await client.PostAsync("/imports", Upload(Token(page), "bad.csv",
            "Borough,Major Category,Minor Category,200904\nKensington and Chelsea,Burglary,Burglary in a Dwelling,lots\n"));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("data-validation-report").And.Contain("lots").And.Contain("is not a count").And.Contain("2 (Borough)".Replace("2 (Borough)", "4 (200904)"));
        (await client.GetStringAsync("/imports")).Should().Contain("No extract has been imported yet.");
    }
}
