using System.Globalization;
using System.Text;
using KcCsp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests.Reports;

/// <summary>
/// A small, deterministic MPS-style extract for every borough (the 2008-2016 releases' category names, April 2008 to March 2010)
/// and a population table for 2008 and 2009, so that reports have imported values and computed London ranks without
/// the real files. The counts follow a formula, so every test run imports the same numbers.
/// </summary>
public static class ReportFixture
{
    public static async Task ImportAsync(PortalFactory factory)
    {
        var (extract, population) = await WriteAsync(factory);
        var (exit, _, err) = await factory.RunCliAsync("import", extract);
        exit.Should().Be(0, err);
        (exit, _, err) = await factory.RunCliAsync("import-population", population);
        exit.Should().Be(0, err);
    }

    /// <summary>Writes the two files into the factory's work folder and returns their paths.</summary>
    public static async Task<(string Extract, string Population)> WriteAsync(PortalFactory factory)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KcCspDbContext>();
        var boroughs = await db.Areas.AsNoTracking().Where(a => a.Code != null && a.Code.StartsWith("E09")).OrderBy(a => a.Code).ToListAsync();
        // Names as the 2008-2016 releases print them: fixed here, so the file does not change when the category seed grows.
        var aliases = Categories.Select(c => (MajorName: c.Split('|')[0], MinorName: c.Split('|')[1])).ToList();

        var months = Enumerable.Range(0, 24).Select(i => new DateOnly(2008, 4, 1).AddMonths(i)).ToList();
        var extract = new StringBuilder("Borough,Major Category,Minor Category," + string.Join(",", months.Select(m => m.ToString("yyyyMM", CultureInfo.InvariantCulture))) + "\r\n");
        for (var b = 0; b < boroughs.Count; b++)
        {
            for (var c = 0; c < aliases.Count; c++)
            {
                extract.Append(Csv(boroughs[b].Name)).Append(',').Append(Csv(aliases[c].MajorName)).Append(',').Append(Csv(aliases[c].MinorName));
                for (var m = 0; m < months.Count; m++) extract.Append(',').Append((b * 7 + c * 3 + m * 5 + b * c) % 41);
                extract.Append("\r\n");
            }
        }
        var population = new StringBuilder("Code,Name,Year,Source,Population\r\n");
        for (var b = 0; b < boroughs.Count; b++)
        {
            foreach (var year in new[] { 2008, 2009 })
                population.Append($"{boroughs[b].Code},{Csv(boroughs[b].Name)},{year},ONS MYE,{150_000 + b * 9_173 + (year - 2008) * 1_000}\r\n");
        }
        var extractPath = Path.Combine(factory.WorkDirectory, "fixture-extract.csv");
        var populationPath = Path.Combine(factory.WorkDirectory, "fixture-population.csv");
        await File.WriteAllTextAsync(extractPath, extract.ToString());
        await File.WriteAllTextAsync(populationPath, population.ToString());
        return (extractPath, populationPath);
    }

    private static readonly string[] Categories =
    [
        "Burglary|Burglary in Other Buildings", "Burglary|Burglary in a Dwelling", "Criminal Damage|Criminal Damage To Dwelling",
        "Criminal Damage|Criminal Damage To Motor Vehicle", "Criminal Damage|Other Criminal Damage", "Drugs|Drug Trafficking", "Drugs|Other Drugs",
        "Drugs|Possession Of Drugs", "Fraud or Forgery|Other Fraud & Forgery", "Other Notifiable Offences|Going Equipped",
        "Robbery|Business Property", "Robbery|Personal Property", "Sexual Offences|Rape", "Theft and Handling|Handling Stolen Goods",
        "Theft and Handling|Motor Vehicle Interference & Tampering", "Theft and Handling|Other Theft", "Theft and Handling|Theft From Motor Vehicle",
        "Theft and Handling|Theft From Shops", "Theft and Handling|Theft/Taking Of Motor Vehicle", "Violence Against the Person|Common Assault",
        "Violence Against the Person|Harassment", "Violence Against the Person|Murder", "Violence Against the Person|Offensive Weapon",
        "Violence Against the Person|Wounding/GBH",
    ];

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
