using System.Globalization;
using System.Text;
using KcCsp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests.Reports;

/// <summary>
/// A small, deterministic MPS-style extract for every borough (one name per category of the 2008-2016 taxonomy, April 2008 to March 2010)
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
        var aliases = Categories;

        var months = Enumerable.Range(0, 24).Select(i => new DateOnly(2008, 4, 1).AddMonths(i)).ToList();
        var extract = new StringBuilder("Borough,Major Category,Minor Category," + string.Join(",", months.Select(m => m.ToString("yyyyMM", CultureInfo.InvariantCulture))) + "\r\n");
        for (var b = 0; b < boroughs.Count; b++)
        {
            for (var c = 0; c < aliases.Length; c++)
            {
                extract.Append(Csv(boroughs[b].Name)).Append(',').Append(Csv(aliases[c].Major)).Append(',').Append(Csv(aliases[c].Minor));
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

    /// <summary>
    /// One name per category, as the MPS printed them 2008-2016, fixed here (not read from the alias table) so that the
    /// same file is imported whatever the seed holds: the snapshots then also pin how these names are mapped.
    /// </summary>
    private static readonly (string Major, string Minor)[] Categories =
    [
        ("Burglary", "Burglary in a Dwelling"),
        ("Burglary", "Burglary in Other Buildings"),
        ("Criminal Damage", "Criminal Damage To Dwelling"),
        ("Criminal Damage", "Criminal Damage To Motor Vehicle"),
        ("Criminal Damage", "Criminal Damage To Other Building"),
        ("Criminal Damage", "Other Criminal Damage"),
        ("Drugs", "Drug Trafficking"),
        ("Drugs", "Other Drugs"),
        ("Drugs", "Possession Of Drugs"),
        ("Fraud or Forgery", "Counted per Victim"),
        ("Fraud or Forgery", "Other Fraud & Forgery"),
        ("Other Notifiable Offences", "Going Equipped"),
        ("Other Notifiable Offences", "Other Notifiable"),
        ("Robbery", "Business Property"),
        ("Robbery", "Personal Property"),
        ("Sexual Offences", "Other Sexual"),
        ("Sexual Offences", "Rape"),
        ("Theft and Handling", "Handling Stolen Goods"),
        ("Theft and Handling", "Motor Vehicle Interference & Tampering"),
        ("Theft and Handling", "Other Theft"),
        ("Theft and Handling", "Other Theft Person"),
        ("Theft and Handling", "Theft From Motor Vehicle"),
        ("Theft and Handling", "Theft From Shops"),
        ("Theft and Handling", "Theft/Taking Of Motor Vehicle"),
        ("Theft and Handling", "Theft/Taking of Pedal Cycle"),
        ("Violence Against the Person", "Assault with Injury"),
        ("Violence Against the Person", "Common Assault"),
        ("Violence Against the Person", "Grievous Bodily Harm"),
        ("Violence Against the Person", "Harassment"),
        ("Violence Against the Person", "Murder"),
        ("Violence Against the Person", "Offensive Weapon"),
        ("Violence Against the Person", "Other violence"),
        ("Violence Against the Person", "Wounding/GBH"),
        ("Arson and Criminal Damage", "Arson"),
        ("Arson and Criminal Damage", "Criminal Damage"),
        ("Historical Fraud and Forgery", "Historical Fraud and Forgery"),
        ("Miscellaneous Crimes Against Society", "Absconding from Lawful Custody"),
        ("Miscellaneous Crimes Against Society", "Bail Offences"),
        ("Miscellaneous Crimes Against Society", "Bigamy"),
        ("Miscellaneous Crimes Against Society", "Dangerous Driving"),
        ("Miscellaneous Crimes Against Society", "Disclosure, Obstruction, False or Misleading State"),
        ("Miscellaneous Crimes Against Society", "Exploitation of Prostitution"),
        ("Miscellaneous Crimes Against Society", "Forgery or Use of Drug Prescription"),
        ("Miscellaneous Crimes Against Society", "Fraud or Forgery Associated with Driver Records"),
        ("Miscellaneous Crimes Against Society", "Making, Supplying or Possessing Articles for use i"),
        ("Miscellaneous Crimes Against Society", "Obscene Publications"),
        ("Miscellaneous Crimes Against Society", "Other Forgery"),
        ("Miscellaneous Crimes Against Society", "Perjury"),
        ("Miscellaneous Crimes Against Society", "Perverting Course of Justice"),
        ("Miscellaneous Crimes Against Society", "Possession of False Documents"),
        ("Miscellaneous Crimes Against Society", "Profitting From or Concealing Proceeds of Crime"),
        ("Miscellaneous Crimes Against Society", "Soliciting for Prostitution"),
        ("Miscellaneous Crimes Against Society", "Threat or Possession With Intent to Commit Crimina"),
        ("Miscellaneous Crimes Against Society", "Wildlife Crime"),
        ("Possession of Weapons", "Other Firearm Offences"),
        ("Possession of Weapons", "Possession of Article with Blade or Point"),
        ("Possession of Weapons", "Possession of Firearm with Intent"),
        ("Possession of Weapons", "Possession of Firearms Offences"),
        ("Possession of Weapons", "Possession of Other Weapon"),
        ("Public Order Offences", "Other Offences Against the State, or Public Order"),
        ("Public Order Offences", "Public Fear Alarm or Distress"),
        ("Public Order Offences", "Racially or Religiously Aggravated Public Fear, Al"),
        ("Public Order Offences", "Violent Disorder"),
        ("Vehicle Offences", "Aggravated Vehicle Taking"),
        ("Violence Against the Person", "Violence with Injury"),
        ("Violence Against the Person", "Violence without Injury"),
        ("Miscellaneous Crimes Against Society", "Offender Management Act"),
        ("Possession of Weapons", "Other Knife Offences"),
        ("Miscellaneous Crimes Against Society", "Concealing an Infant Death Close to Birth"),
        ("Miscellaneous Crimes Against Society", "Aiding Suicide"),
    ];

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
