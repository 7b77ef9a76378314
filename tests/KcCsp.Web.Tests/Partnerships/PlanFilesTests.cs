using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.Partnerships;
using KcCsp.Data.Seed;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests.Partnerships;

/// <summary>`import-plan` and `export-plan` end to end: K&amp;C's plan file round trip, revisions, refusals, a second plan beside K&amp;C.</summary>
public sealed class PlanFilesTests : IAsyncLifetime
{
    private const string Kc = PlanSeeder.SeedPlanCode;
    private const string Maidstone = "maidstone-2022-2025";
    private readonly PortalFactory factory = new();

    public ValueTask InitializeAsync()
    {
        _ = factory.Server; // migrates and seeds K&C from its plan file
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private async Task<T> WithDb<T>(Func<KcCspDbContext, Task<T>> query)
    {
        using var scope = factory.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<KcCspDbContext>());
    }

    private static readonly string[] PoliceUkTypes =
    [
        "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs", "Other crime", "Other theft",
        "Possession of weapons", "Public order", "Robbery", "Shoplifting", "Theft from the person", "Vehicle crime", "Violence and sexual offences",
    ];

    /// <summary>
    /// The police.uk categories (design-18, decision 1) Maidstone's file names: the category seed brings them
    /// (Seed/police-uk-categories.json); added here only if a database lacks them, so the file is always checked against real rows.
    /// </summary>
    private Task<List<string>> SeedPoliceUkCategoriesAsync() => WithDb(async db =>
    {
        var known = (await db.CrimeCategories.Select(c => c.Code).ToListAsync()).ToHashSet();
        var added = new List<string>();
        foreach (var type in PoliceUkTypes)
        {
            var code = "police-uk-" + type.ToLowerInvariant().Replace(' ', '-');
            foreach (var (c, name) in type == "Anti-social behaviour" ? [(code, type)] : new[] { (code, type), (code + "-charged", type + " (charged or summonsed)") })
            {
                if (known.Contains(c)) continue;
                db.CrimeCategories.Add(new CrimeCategory { Code = c, Name = name, MajorGroup = "police.uk", Taxonomy = CrimeSources.PoliceUk });
                added.Add(c);
            }
        }
        await db.SaveChangesAsync();
        return added;
    });

    private static string Canonical(string path) =>
        PlanFileWriter.Write(PlanFileReader.Read(Path.GetFileName(path), File.ReadAllBytes(path)).Document!);

    private async Task<string> ExportAsync(string? plan = null)
    {
        var output = Path.Combine(factory.WorkDirectory, $"export-{Guid.NewGuid():N}.json");
        var (exit, stdout, stderr) = plan is null ? await factory.RunCliAsync("export-plan", "--out", output) : await factory.RunCliAsync("export-plan", "--plan", plan, "--out", output);
        exit.Should().Be(0, stderr);
        stdout.Should().Contain("Wrote plan");
        return await File.ReadAllTextAsync(output);
    }

    private async Task<(int Exit, string Out, string Err)> ImportAsync(string text, string name = "plan.json")
    {
        var path = Path.Combine(factory.WorkDirectory, name);
        await File.WriteAllTextAsync(path, text);
        return await factory.RunCliAsync("import-plan", path);
    }

    [Fact]
    public async Task Seeded_KC_exports_as_its_plan_file_and_importing_an_export_changes_nothing()
    {
        var exported = await ExportAsync();
        // The seeded plan is the file: the export is the file in its canonical form (ranks and verdicts in their
        // canonical words, empty fields left out; docs/plan-format.md, "Round trip").
        exported.Should().Be(Canonical(PlanFileReaderTests.PlanPath("kc-2010-2013.json")));

        var audited = await WithDb(db => db.AuditEntries.CountAsync());
        var (exit, stdout, stderr) = await ImportAsync(exported, "kc.json");
        exit.Should().Be(0, stderr);
        stdout.Should().Be($"Revised plan {Kc} from kc.json (revision 2):{Environment.NewLine}  no change{Environment.NewLine}");
        (await ExportAsync()).Should().Be(exported);

        var revisions = await WithDb(db => db.PlanRevisions.OrderBy(r => r.Number).Select(r => new { r.Number, r.FileName, r.Text, r.Sha256, r.Summary, r.LoadedBy }).ToListAsync());
        revisions.Select(r => (r.Number, r.FileName, r.Summary)).Should().Equal((1, "kc-2010-2013.json", "created"), (2, "kc.json", "no change"));
        revisions[0].LoadedBy.Should().Be("seed");
        revisions[1].Text.Should().Be(exported);
        revisions[1].Sha256.Should().Be(PlanFiles.Sha256(Encoding.UTF8.GetBytes(exported)));
        // A no-op revision audits the import only.
        var entries = await WithDb(db => db.AuditEntries.OrderBy(e => e.Id).Skip(audited).ToListAsync());
        entries.Should().ContainSingle().Which.Action.Should().Be("plan file imported (revision)");
    }

    [Fact]
    public async Task A_revision_changes_records_in_place_keeps_every_file_and_audits_each_change()
    {
        var before = await WithDb(db => db.Measures.Where(m => m.Code == "street-drinking" || m.Code == "robbery").ToDictionaryAsync(m => m.Code, m => m.Id));
        var plan = JsonNode.Parse(await ExportAsync())!;
        var street = plan["priorities"]!.AsArray().Single(p => (string?)p!["code"] == "street-populations")!;
        street["measures"]![0]!["name"] = "Street drinking reports";
        var actions = street["actions"]!.AsArray();
        var removed = (string)actions[1]!["text"]!;
        actions.RemoveAt(1);
        actions[0]!["dueDate"] = "2010-09-30";
        actions.Add(new JsonObject { ["theme"] = "Enforcement", ["text"] = "Review the Controlled Drinking Zone with residents", ["leadAgency"] = "Council" });
        plan["targets"]!.AsArray().Single(t => (string?)t!["measure"] == "robbery")!["value"] = -3;
        plan["targets"]!.AsArray().Add(new JsonObject { ["set"] = "Local", ["year"] = "2011/12", ["measure"] = "robbery", ["form"] = "ChangeAgainstPreviousYear", ["value"] = -1, ["asPrinted"] = "-1%" });
        var text = plan.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var audited = await WithDb(db => db.AuditEntries.CountAsync());

        var (exit, stdout, stderr) = await ImportAsync(text, "kc-revised.json");

        exit.Should().Be(0, stderr);
        stdout.Should().Contain("(revision 2)").And.Contain("measure street-drinking: name").And.Contain("target robbery 2010/11: changed")
            .And.Contain("target robbery 2011/12: added").And.Contain("action removed: " + removed[..20]).And.Contain("action added: Review the Controlled");
        var after = await WithDb(async db => new
        {
            Street = await db.Measures.SingleAsync(m => m.Code == "street-drinking"),
            Targets = await db.Targets.Where(t => t.Measure!.Code == "robbery").OrderBy(t => t.FinancialYear).Select(t => t.Value).ToListAsync(),
            Due = await db.Actions.Where(a => a.Priority!.Code == "street-populations").OrderBy(a => a.SortOrder).Select(a => a.DueDate).ToListAsync(),
            Removed = await db.Actions.CountAsync(a => a.Text == removed),
            Revisions = await db.PlanRevisions.CountAsync(),
            Entries = await db.AuditEntries.OrderBy(e => e.Id).Skip(audited).Select(e => new { e.Entity, e.Action }).ToListAsync(),
        });
        after.Street.Id.Should().Be(before["street-drinking"], "a measure is changed in place, keeping its figures");
        after.Street.Name.Should().Be("Street drinking reports");
        after.Targets.Should().Equal(-3m, -1m);
        after.Due.Should().Equal(new DateOnly(2010, 9, 30), new DateOnly(2011, 3, 31), new DateOnly(2011, 3, 31), new DateOnly(2011, 3, 31), new DateOnly(2011, 3, 31));
        after.Removed.Should().Be(0);
        after.Revisions.Should().Be(2);
        after.Entries.Select(e => (e.Entity, e.Action)).Should().Contain(
        [
            (nameof(Measure), "updated"), (nameof(Target), "updated"), (nameof(Target), "created"),
            (nameof(PlanAction), "updated"), (nameof(PlanAction), "deleted"), (nameof(PlanAction), "created"),
            (nameof(Plan), "plan file imported (revision)"),
        ]);
        after.Entries.Should().ContainSingle(e => e.Entity == nameof(Measure), "one measure changed");

        // The export now holds the analysts' file; importing it again is a revision with no change.
        var again = await ExportAsync();
        (await ImportAsync(again, "kc-again.json")).Out.Should().Contain("(revision 3)").And.Contain("no change");
    }

    [Fact]
    public async Task A_change_of_categories_recomputes_the_measures_values_from_the_imports()
    {
        var extract = Path.Combine(factory.WorkDirectory, "extract.csv");
        await File.WriteAllTextAsync(extract, "Borough,Major Category,Minor Category,200904\r\nKensington and Chelsea,Robbery,Personal Property,6\r\n");
        (await factory.RunCliAsync("import", extract)).ExitCode.Should().Be(0);
        Task<List<long>> ValuesAsync(string code) => WithDb(db => db.MeasureMonthValues.Where(v => db.Measures.Any(m => m.Id == v.MeasureId && m.Code == code)).Select(v => v.Value).ToListAsync());
        (await ValuesAsync("robbery")).Should().Equal(6);

        var plan = JsonNode.Parse(await ExportAsync())!;
        var robbery = plan["priorities"]!.AsArray().SelectMany(p => p!["measures"]?.AsArray() ?? []).Single(m => (string?)m!["code"] == "robbery")!;
        robbery["categories"] = new JsonArray("business-robbery");
        var (exit, stdout, stderr) = await ImportAsync(plan.ToJsonString(), "kc-robbery.json");

        exit.Should().Be(0, stderr);
        stdout.Should().Contain("measure robbery: categories").And.Contain("measure values recomputed from the imports: 1 area-month(s) changed");
        (await ValuesAsync("robbery")).Should().BeEmpty("business robbery, its one defining category now, is not in the import");
        (await ValuesAsync("personal-robbery")).Should().Equal(6);
    }

    [Fact]
    public async Task What_hangs_off_a_record_stops_its_removal_and_nothing_of_the_file_is_written()
    {
        await WithDb(async db =>
        {
            var action = await db.Actions.OrderBy(a => a.Id).FirstAsync(a => a.Priority!.Code == "street-populations");
            db.ActionUpdates.Add(new ActionUpdate { ActionId = action.Id, Date = new(2010, 6, 1), Status = ActionStatus.OnTrack, PercentComplete = 40, Commentary = "Zone in force", AuthorName = "Test", CreatedAt = DateTimeOffset.UtcNow });
            var begging = await db.Measures.SingleAsync(m => m.Code == "begging-vagrancy");
            var area = await db.Areas.SingleAsync(a => a.Name == "Kensington and Chelsea");
            db.Figures.Add(new Figure { MeasureId = begging.Id, AreaId = area.Id, From = new(2010, 4), To = new(2010, 6), Value = 120, Source = FigureSource.Manual, EnteredAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        var plan = JsonNode.Parse(await ExportAsync())!;
        var street = plan["priorities"]!.AsArray().Single(p => (string?)p!["code"] == "street-populations")!;
        street["title"] = "Changed, but never saved";
        street["actions"]!.AsArray().RemoveAt(0);
        street["measures"]!.AsArray().RemoveAt(1);
        var revisions = await WithDb(db => db.PlanRevisions.CountAsync());

        var (exit, _, stderr) = await ImportAsync(plan.ToJsonString(), "kc-bad.json");

        exit.Should().Be(2);
        stderr.Should().Contain("kc-bad.json: measure 'begging-vagrancy' is not in the file but has 1 figure(s) entered or imported")
            .And.Contain("kc-bad.json: the action 'Maintain the borough wide Controlled Drinking Zone (CDZ)' (street-populations) is not in the file but has 1 progress update(s)")
            .And.Contain("kc-bad.json: not loaded (2 problems); nothing was changed.");
        (await WithDb(db => db.Priorities.SingleAsync(p => p.Code == "street-populations"))).Title.Should().Be("Street populations");
        (await WithDb(db => db.PlanRevisions.CountAsync())).Should().Be(revisions);
    }

    [Fact]
    public async Task A_second_plan_loads_beside_KC_which_reads_exactly_as_before()
    {
        (await SeedPoliceUkCategoriesAsync()).Should().BeEmpty("the category seed brings police.uk's crime types and their charged categories");
        string[] kcMeasures = ["serious-acquisitive-crime", "robbery", "drugs-offences", "domestic-violence", "most-serious-violence", "total-notifiable-offences"];
        async Task<List<string>> KcReadsAsync()
        {
            var reads = new List<string> { await ExportAsync(Kc) };
            foreach (var code in kcMeasures)
            {
                var (exit, stdout, stderr) = await factory.RunCliAsync("measure", code, "--area", "Kensington and Chelsea", "--year", "2009/10", "--to-month", "1", "--json");
                exit.Should().Be(0, stderr);
                reads.Add(stdout);
            }
            return reads;
        }
        var kcBefore = await KcReadsAsync();
        var areasBefore = await WithDb(db => db.Areas.CountAsync());

        var (exit, stdout, stderr) = await factory.RunCliAsync("import-plan", PlanFileReaderTests.PlanPath("maidstone-2022-2025.json"));

        exit.Should().Be(0, stderr);
        stdout.Should().Be($"Created plan {Maidstone} from maidstone-2022-2025.json (revision 1).{Environment.NewLine}");
        (await KcReadsAsync()).Should().Equal(kcBefore, "a second partnership's plan changes nothing of K&C's");

        var maidstone = await WithDb(db => db.Areas.SingleAsync(a => a.Code == "E07000110"));
        (maidstone.Name, maidstone.Kind, maidstone.InLondonRanking).Should().Be(("Maidstone", AreaKind.Borough, false));
        (await WithDb(db => db.Areas.CountAsync())).Should().Be(areasBefore + 1);
        var share = await WithDb(db => db.Measures.Include(m => m.ShareOfMeasure).Include(m => m.Plan).SingleAsync(m => m.Code == "charged-or-summonsed-share"));
        (share.Plan!.Code, share.ShareOfMeasure!.Code, share.Unit).Should().Be((Maidstone, "all-crime", MeasureUnit.Percentage));
        var chargedCategories = await WithDb(db => db.MeasureCategories.Where(mc => mc.MeasureId == share.Id).Select(mc => mc.Category!.Code).ToListAsync());
        chargedCategories.Should().HaveCount(13).And.OnlyContain(c => c.StartsWith("police-uk-") && c.EndsWith("-charged"));

        // "robbery" is a code of both plans: each reads its own.
        var (mExit, mOut, mErr) = await factory.RunCliAsync("measure", "robbery", "--plan", Maidstone, "--area", "Maidstone", "--year", "2022/23", "--to-month", "11", "--json");
        mExit.Should().Be(0, mErr);
        using (var json = JsonDocument.Parse(mOut))
        {
            json.RootElement.GetProperty("measureName").GetString().Should().Be("Robbery");
            json.RootElement.GetProperty("area").GetString().Should().Be("Maidstone");
        }
        var (kExit, kOut, _) = await factory.RunCliAsync("measure", "robbery", "--plan", Kc, "--area", "Kensington and Chelsea", "--year", "2009/10", "--to-month", "1", "--json");
        kExit.Should().Be(0);
        kOut.Should().Be(kcBefore[Array.IndexOf(kcMeasures, "robbery") + 1]);

        // Maidstone's export is its file, and an unknown plan is refused by every verb that takes --plan.
        (await ExportAsync(Maidstone)).Should().Be(Canonical(PlanFileReaderTests.PlanPath("maidstone-2022-2025.json")));
        var (uExit, _, uErr) = await factory.RunCliAsync("export-plan", "--plan", "nowhere-2020");
        uExit.Should().Be(2);
        uErr.Should().Contain($"There is no plan with the code 'nowhere-2020'. The plans are: {Kc}, {Maidstone}.");
        (await factory.RunCliAsync("measure", "robbery", "--plan", "nowhere-2020", "--area", "Maidstone", "--year", "2022/23", "--to-month", "11")).ExitCode.Should().Be(2);
    }

    [Fact]
    public async Task Category_codes_are_checked_against_the_database_with_the_line_and_a_suggestion()
    {
        await SeedPoliceUkCategoriesAsync();
        var text = (await File.ReadAllTextAsync(PlanFileReaderTests.PlanPath("maidstone-2022-2025.json")))
            .Replace("\"police-uk-burglary\"\n", "\"police-uk-burglery\"\n")
            .Replace("\"police-uk-shoplifting\"\n", "\"police-uk-shop-lifting\"\n");
        var path = Path.Combine(factory.WorkDirectory, "maidstone.json");
        await File.WriteAllTextAsync(path, text);
        var lines = text.Split('\n');
        int LineOf(string marker, int after = 0) => Array.FindIndex(lines, after, l => l.Contains(marker, StringComparison.Ordinal)) + 1;
        var plans = await WithDb(db => db.Plans.CountAsync());

        var (exit, _, stderr) = await factory.RunCliAsync("import-plan", path);

        exit.Should().Be(2);
        var burglary = LineOf("\"police-uk-burglery\"", LineOf("\"code\": \"burglary\""));
        stderr.Should().Contain($"{path}:{burglary} otherMeasures[2].categories[0]: there is no category 'police-uk-burglery' (did you mean 'police-uk-burglary'?).");
        var shoplifting = LineOf("\"police-uk-shop-lifting\"", LineOf("\"code\": \"shoplifting\""));
        stderr.Should().Contain($"{path}:{shoplifting} priorities[3].measures[2].categories[0]: there is no category 'police-uk-shop-lifting' (did you mean 'police-uk-shoplifting'?).");
        stderr.Should().Contain("not loaded (2 problems); nothing was changed.");
        (await WithDb(db => db.Plans.CountAsync())).Should().Be(plans);
        (await WithDb(db => db.Areas.CountAsync(a => a.Code == "E07000110"))).Should().Be(0);
    }

    [Fact]
    public async Task A_measure_mixing_the_two_taxonomies_is_refused()
    {
        await SeedPoliceUkCategoriesAsync();
        var text = (await File.ReadAllTextAsync(PlanFileReaderTests.PlanPath("maidstone-2022-2025.json")))
            .Replace("\"police-uk-robbery\"", "\"police-uk-robbery\", \"personal-robbery\"");
        var (exit, _, stderr) = await ImportAsync(text, "mixed.json");
        exit.Should().Be(2);
        stderr.Should().Contain("priorities[0].measures[2].categories: a measure's categories are of one taxonomy");
    }

    [Fact]
    public async Task A_bad_file_exits_2_with_its_errors_and_the_file_must_be_the_plan_asked_for()
    {
        var (exit, stdout, stderr) = await ImportAsync("{ \"formatVersion\": 1, \"code\": \"x\" ", "broken.json");
        exit.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("broken.json:1:").And.Contain("not loaded (1 problem); nothing was changed.");

        var (exit2, _, stderr2) = await factory.RunCliAsync("import-plan", "--plan", Kc, PlanFileReaderTests.PlanPath("maidstone-2022-2025.json"));
        exit2.Should().Be(2);
        stderr2.Should().Contain($"is the plan '{Maidstone}', not '{Kc}'");

        var (exit3, _, stderr3) = await factory.RunCliAsync("import-plan", Path.Combine(factory.WorkDirectory, "nothing-here.json"));
        exit3.Should().Be(2);
        stderr3.Should().Contain("no such file");
    }

    [Fact]
    public async Task The_loader_does_not_run_scoped_to_another_plan()
    {
        await SeedPoliceUkCategoriesAsync();
        using var scope = factory.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<PlanScope>().ChooseForCommandAsync(Kc);
        var bytes = await File.ReadAllBytesAsync(PlanFileReaderTests.PlanPath("maidstone-2022-2025.json"));
        var act = () => scope.ServiceProvider.GetRequiredService<PlanFiles>().ImportAsync("maidstone-2022-2025.json", bytes, "test");
        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*while scoped to another plan*");
        (await WithDb(db => db.Plans.CountAsync())).Should().Be(1);
    }
}

/// <summary>The round trip on PostgreSQL, which gives decimals back at the column's scale (1.2000): the file still reads 1.2.</summary>
public sealed class PlanFilesPostgresTests
{
    [Fact]
    public async Task KC_round_trip_and_a_second_plan_on_postgresql()
    {
        await using var factory = new PortalFactory(TestEnvironment.PostgresConnectionString());
        var first = Path.Combine(factory.WorkDirectory, "kc.json");
        var (exit, _, stderr) = await factory.RunCliAsync("export-plan", "--out", first);
        exit.Should().Be(0, stderr);
        var exported = await File.ReadAllTextAsync(first);
        exported.Should().Be(PlanFileWriter.Write(PlanFileReader.Read("kc-2010-2013.json", File.ReadAllBytes(PlanFileReaderTests.PlanPath("kc-2010-2013.json"))).Document!));
        exported.Should().Contain("\"value\": -1.2,");

        var (import, stdout, importErr) = await factory.RunCliAsync("import-plan", first);
        import.Should().Be(0, importErr);
        stdout.Should().Contain("no change");
        var second = Path.Combine(factory.WorkDirectory, "kc-again.json");
        (await factory.RunCliAsync("export-plan", "--out", second)).ExitCode.Should().Be(0);
        (await File.ReadAllTextAsync(second)).Should().Be(exported);
    }
}
