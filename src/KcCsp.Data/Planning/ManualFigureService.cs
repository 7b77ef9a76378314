using System.ComponentModel.DataAnnotations;
using System.Globalization;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.People;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;
using nietras.SeparatedValues;

namespace KcCsp.Data.Planning;

public sealed class FigureForm
{
    [Required(ErrorMessage = "Choose the measure.")]
    public string Measure { get; set; } = "";
    [Required(ErrorMessage = "Choose the area.")]
    public string Area { get; set; } = "";
    [Required(ErrorMessage = "Give the first month, e.g. 2010-04.")]
    public string From { get; set; } = "";
    [Required(ErrorMessage = "Give the last month, e.g. 2011-01.")]
    public string To { get; set; } = "";
    [Required(ErrorMessage = "Give the value.")]
    public decimal? Value { get; set; }
    [Required(ErrorMessage = "Say where the figure comes from.")]
    [StringLength(400)]
    public string SourceNote { get; set; } = "";
}

public sealed record FigureRow(int Id, string Measure, string MeasureName, string Area, string From, string To, string Period, decimal Value, string SourceNote, string? EnteredBy, DateTimeOffset EnteredAt);

public sealed record FiguresModel(IReadOnlyList<FigureRow> Figures, FigureFormModel NewFigure);

public sealed record FigureFormModel(int? Id, FigureForm Form, IReadOnlyList<(string Code, string Name)> Measures, IReadOnlyList<string> Areas);

/// <summary>One problem in an uploaded file, where it is.</summary>
public sealed record FileProblem(int Line, int? Column, string? ColumnName, string Message)
{
    public override string ToString() => Column is { } c ? $"line {Line}, column {c} ({ColumnName}): {Message}" : $"line {Line}: {Message}";
}

public sealed record UploadResult(IReadOnlyList<FileProblem> Problems, int Added, int Replaced);

/// <summary>
/// Figures analysts enter for measures that crime extracts do not carry (domestic violence, youth crime, surveys...).
/// They are <see cref="Figure"/> rows with <see cref="FigureSource.Manual"/>, which MeasureValues prefers for the same period.
/// </summary>
public sealed class ManualFigureService(KcCspDbContext db, UnitOfWork unit, TimeProvider clock)
{
    public const string CsvHeader = "measure,area,period,value[,source]";
    public const long MaxUploadBytes = 2 * 1024 * 1024;

    public async Task<FiguresModel> ListAsync(CancellationToken ct = default)
    {
        var figures = await db.Figures.AsNoTracking().Include(f => f.Measure).Include(f => f.Area)
            .Where(f => f.Source == FigureSource.Manual).ToListAsync(ct);
        var rows = figures.OrderBy(f => f.Measure!.SortOrder).ThenBy(f => f.Area!.Name).ThenByDescending(f => f.From).ThenByDescending(f => f.To)
            .Select(f => new FigureRow(f.Id, f.Measure!.Code, f.Measure.Name, f.Area!.Name, f.From.ToString(), f.To.ToString(),
                new Period(f.From, f.To).Describe(), f.Value, f.SourceNote, f.EnteredBy, f.EnteredAt))
            .ToList();
        var home = await db.ScopedPlan.AsNoTracking().Select(p => p.HomeArea!.Name).FirstOrDefaultAsync(ct);
        return new FiguresModel(rows, await FormModelAsync(null, new FigureForm { Area = home ?? "" }, ct));
    }

    public async Task<FigureFormModel?> EditFormAsync(int id, CancellationToken ct = default)
    {
        var f = await db.Figures.AsNoTracking().Include(x => x.Measure).Include(x => x.Area).SingleOrDefaultAsync(x => x.Id == id && x.Source == FigureSource.Manual, ct);
        if (f is null) return null;
        return await FormModelAsync(id, new FigureForm
        {
            Measure = f.Measure!.Code, Area = f.Area!.Name, From = f.From.ToString(), To = f.To.ToString(), Value = f.Value, SourceNote = f.SourceNote,
        }, ct);
    }

    public async Task<FigureFormModel> FormModelAsync(int? id, FigureForm form, CancellationToken ct = default)
    {
        var measures = (await db.Measures.AsNoTracking().OrderBy(m => m.SortOrder).Select(m => new { m.Code, m.Name }).ToListAsync(ct))
            .Select(m => (m.Code, m.Name)).ToList();
        var areas = await db.Areas.AsNoTracking().OrderBy(a => a.Name).Select(a => a.Name).ToListAsync(ct);
        return new FigureFormModel(id, form, measures, areas);
    }

    /// <summary>Adds (id null) or edits a manual figure.</summary>
    public async Task<Result> SaveAsync(int? id, FigureForm form, string who, CancellationToken ct = default)
    {
        var measure = await db.Measures.SingleOrDefaultAsync(m => m.Code == form.Measure, ct);
        if (measure is null) return Result.Invalid($"There is no measure '{form.Measure}'.");
        var area = await FindAreaAsync(form.Area, ct);
        if (area is null) return Result.Invalid($"There is no area called '{form.Area}'.");
        if (!YearMonth.TryParse(form.From, out var from)) return Result.Invalid($"From: '{form.From}' is not a month such as 2010-04.");
        if (!YearMonth.TryParse(form.To, out var to)) return Result.Invalid($"To: '{form.To}' is not a month such as 2011-01.");
        if (to < from) return Result.Invalid($"The period ends ({to}) before it starts ({from}).");
        var value = form.Value!.Value;

        var clash = await db.Figures.FirstOrDefaultAsync(f => f.MeasureId == measure.Id && f.AreaId == area.Id && f.From == from && f.To == to
            && f.Source == FigureSource.Manual && f.Id != (id ?? 0), ct);
        if (clash is not null) return Result.Invalid($"There is already a manual figure for {measure.Name}, {area.Name}, {new Period(from, to).Describe()}: edit that one.");

        Figure? figure = null;
        var result = await unit.RunAsync(who, async ct =>
        {
            figure = await db.EditOrAddAsync(id, q => q.Where(f => f.Source == FigureSource.Manual), () => new Figure { Source = FigureSource.Manual }, ct);
            if (figure is null) return Result.NotFound;
            figure.Measure = measure;
            figure.Area = area;
            figure.From = from;
            figure.To = to;
            figure.Value = value;
            figure.SourceNote = form.SourceNote.Trim();
            figure.EnteredBy = who;
            figure.EnteredAt = clock.GetUtcNow();
            return new Result(Outcome.Done);
        }, ct);
        return result.Outcome == Outcome.Done ? result with { Id = figure!.Id } : result;
    }

    public async Task<Result> DeleteAsync(int id, string who, CancellationToken ct = default)
    {
        var figure = await db.Figures.SingleOrDefaultAsync(f => f.Id == id && f.Source == FigureSource.Manual, ct);
        if (figure is null) return Result.NotFound;
        await unit.RunAsync(who, _ =>
        {
            db.Figures.Remove(figure);
            return Task.CompletedTask;
        }, ct);
        return new Result(Outcome.Done, id);
    }

    private sealed record ParsedRow(int Line, Measure Measure, Area Area, Period Period, decimal Value, string SourceNote);

    /// <summary>
    /// Reads a <c>measure,area,period,value[,source]</c> file. Every problem is reported with its line and column;
    /// nothing is written unless every row is valid.
    /// </summary>
    public async Task<UploadResult> UploadAsync(Stream content, string fileName, string who, CancellationToken ct = default)
    {
        var measures = await db.Measures.ToListAsync(ct);
        var areas = await db.Areas.ToListAsync(ct);
        var problems = new List<FileProblem>();
        var rows = new List<ParsedRow>();
        string text;
        using (var reader = new StreamReader(content, detectEncodingFromByteOrderMarks: true))
        {
            text = await reader.ReadToEndAsync(ct);
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return new UploadResult([new FileProblem(1, null, null, $"The file is empty: expected a header {CsvHeader} and one row per figure.")], 0, 0);
        }

        using (var csv = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).FromText(text))
        {
            Dictionary<string, int>? columns = null;
            var seen = new Dictionary<(int, int, YearMonth, YearMonth), int>();
            foreach (var row in csv)
            {
                // Sep 0.17.1 numbers the first row's line as 2 when it reads without a header; it is line 1.
                var line = row.RowIndex == 0 ? 1 : row.LineNumberFrom;
                var cells = new string[row.ColCount];
                for (var i = 0; i < row.ColCount; i++) cells[i] = row[i].ToString().Trim();
                if (cells.All(c => c.Length == 0)) continue;
                if (columns is null)
                {
                    columns = ReadHeader(cells, line, problems);
                    if (columns is null) break;
                    continue;
                }
                var parsed = ReadRow(cells, line, columns, measures, areas, fileName, problems);
                if (parsed is null) continue;
                var key = (parsed.Measure.Id, parsed.Area.Id, parsed.Period.From, parsed.Period.To);
                if (seen.TryGetValue(key, out var firstLine))
                {
                    problems.Add(new FileProblem(line, columns["period"] + 1, "period", $"{parsed.Measure.Code}, {parsed.Area.Name}, {parsed.Period.From}..{parsed.Period.To} is already given on line {firstLine}."));
                    continue;
                }
                seen[key] = line;
                rows.Add(parsed);
            }
            if (columns is not null && rows.Count == 0 && problems.Count == 0)
                problems.Add(new FileProblem(1, null, null, "The file has a header but no figures."));
        }
        if (problems.Count > 0) return new UploadResult(problems, 0, 0);

        var added = 0;
        var replaced = 0;
        var now = clock.GetUtcNow();
        await unit.RunAsync(who, async ct =>
        {
            // The manual figures the file may replace, in one query: those of its measures and areas.
            var measureIds = rows.Select(r => r.Measure.Id).Distinct().ToList();
            var areaIds = rows.Select(r => r.Area.Id).Distinct().ToList();
            var existing = (await db.Figures.Where(f => f.Source == FigureSource.Manual && measureIds.Contains(f.MeasureId) && areaIds.Contains(f.AreaId)).ToListAsync(ct))
                .GroupBy(f => (f.MeasureId, f.AreaId, f.From, f.To)).ToDictionary(g => g.Key, g => g.OrderBy(f => f.Id).First());
            foreach (var r in rows)
            {
                var figure = existing.GetValueOrDefault((r.Measure.Id, r.Area.Id, r.Period.From, r.Period.To));
                if (figure is null)
                {
                    figure = new Figure { Source = FigureSource.Manual, Measure = r.Measure, Area = r.Area, From = r.Period.From, To = r.Period.To };
                    db.Figures.Add(figure);
                    added++;
                }
                else replaced++;
                figure.Value = r.Value;
                figure.SourceNote = r.SourceNote;
                figure.EnteredBy = who;
                figure.EnteredAt = now;
            }
        }, ct);
        return new UploadResult([], added, replaced);
    }

    private static readonly string[] Required = ["measure", "area", "period", "value"];
    private static readonly string[] Known = [.. Required, "source"];

    private static Dictionary<string, int>? ReadHeader(string[] cells, int line, List<FileProblem> problems)
    {
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < cells.Length; i++)
        {
            var name = cells[i].ToLowerInvariant();
            if (!Known.Contains(name))
                problems.Add(new FileProblem(line, i + 1, cells[i], $"Unknown column '{cells[i]}': the columns are {CsvHeader}."));
            else if (!columns.TryAdd(name, i))
                problems.Add(new FileProblem(line, i + 1, cells[i], $"Column '{cells[i]}' appears twice."));
        }
        foreach (var missing in Required.Where(r => !columns.ContainsKey(r)))
            problems.Add(new FileProblem(line, null, null, $"The header has no '{missing}' column: expected {CsvHeader}."));
        return problems.Count == 0 ? columns : null;
    }

    private ParsedRow? ReadRow(string[] cells, int line, Dictionary<string, int> columns, List<Measure> measures, List<Area> areas, string fileName, List<FileProblem> problems)
    {
        var before = problems.Count;
        string Cell(string name) => columns.TryGetValue(name, out var i) && i < cells.Length ? cells[i] : "";
        void Problem(string name, string message) => problems.Add(new FileProblem(line, columns[name] + 1, name, message));

        var measureText = Cell("measure");
        var measure = measures.FirstOrDefault(m => string.Equals(m.Code, measureText, StringComparison.OrdinalIgnoreCase))
            ?? measures.FirstOrDefault(m => string.Equals(m.Name, measureText, StringComparison.OrdinalIgnoreCase));
        if (measure is null) Problem("measure", measureText.Length == 0 ? "The measure is missing." : $"There is no measure '{measureText}' (use its code, e.g. domestic-violence, or its name).");

        var areaText = Cell("area");
        var key = AreaNames.Key(areaText);
        var area = areas.FirstOrDefault(a => AreaNames.Key(a.Name) == key || string.Equals(a.Code, areaText, StringComparison.OrdinalIgnoreCase));
        if (area is null) Problem("area", areaText.Length == 0 ? "The area is missing." : $"There is no area called '{areaText}'.");

        var periodText = Cell("period");
        if (!TryParsePeriod(periodText, out var period, out var periodError)) Problem("period", periodError);

        var valueText = Cell("value");
        if (!decimal.TryParse(valueText, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            Problem("value", valueText.Length == 0 ? "The value is missing." : $"'{valueText}' is not a number.");

        var source = Cell("source");
        var where = $"{fileName} line {line}";
        var note = source.Length > 0 ? $"{source} ({where})" : where;
        if (note.Length > 400) Problem("source", "The source is longer than 400 characters.");

        return problems.Count > before ? null : new ParsedRow(line, measure!, area!, period, value, note);
    }

    /// <summary>"2009-04..2010-01" (a range of months), "2010-01" (one month) or "2009/10" (a whole financial year).</summary>
    public static bool TryParsePeriod(string text, out Period period, out string error)
    {
        period = default;
        error = "";
        var t = text.Trim();
        if (t.Length == 0) { error = "The period is missing."; return false; }
        var dots = t.IndexOf("..", StringComparison.Ordinal);
        if (dots >= 0)
        {
            if (!YearMonth.TryParse(t[..dots], out var from) || !YearMonth.TryParse(t[(dots + 2)..], out var to))
            {
                error = $"'{t}' is not a period: give months as YYYY-MM..YYYY-MM (e.g. 2009-04..2010-01).";
                return false;
            }
            if (to < from) { error = $"The period '{t}' ends before it starts."; return false; }
            period = new Period(from, to);
            return true;
        }
        if (YearMonth.TryParse(t, out var month)) { period = new Period(month, month); return true; }
        if (FinancialYear.TryParse(t, out var year)) { period = Period.FullFinancialYear(year); return true; }
        error = $"'{t}' is not a period: use 2009-04..2010-01, 2010-01 or 2009/10.";
        return false;
    }

    private async Task<Area?> FindAreaAsync(string name, CancellationToken ct)
    {
        var key = AreaNames.Key(name);
        var areas = await db.Areas.ToListAsync(ct);
        return areas.FirstOrDefault(a => AreaNames.Key(a.Name) == key || string.Equals(a.Code, name.Trim(), StringComparison.OrdinalIgnoreCase));
    }
}
