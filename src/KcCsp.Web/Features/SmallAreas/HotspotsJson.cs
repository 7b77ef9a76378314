using System.Text.Json.Serialization;
using KcCsp.Data.Model;
using KcCsp.Data.SmallAreas;
using KcCsp.Domain;
using KcCsp.Web.Features.Api;

namespace KcCsp.Web.Features.SmallAreas;

/// <summary>One ward or LSOA as the CLI's `hotspots --json`, the API and the CSV download give it.</summary>
public sealed record HotspotView(string Code, string Name, long Value, long? Previous, decimal? ChangePercent, string ChangeText,
    bool LikeForLike, SignificanceView? Significance, decimal SharePercent, decimal? RatePer1000, long? Population, int? PopulationYear);

/// <summary>
/// The JSON contract of a hotspot table (`hotspots --json` and `GET /api/measures/{code}/hotspots`): the measure, area,
/// periods and level, and the small areas largest first — in `wards` for wards, in `lsoas` for LSOAs.
/// </summary>
public sealed record HotspotsJson
{
    public required string Measure { get; init; }
    public required string MeasureName { get; init; }
    public required string Area { get; init; }
    /// <summary>"ward" or "lsoa".</summary>
    public required string Level { get; init; }
    public required PeriodView Period { get; init; }
    public required PeriodView PreviousPeriod { get; init; }
    public long Total { get; init; }
    public long? PreviousTotal { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<HotspotView>? Wards { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<HotspotView>? Lsoas { get; init; }
    /// <summary>The imports the counts came from (newest first), so every figure can be traced to its file.</summary>
    public required IReadOnlyList<int> Imports { get; init; }
    /// <summary>Months of either period no small-area file covers.</summary>
    public required IReadOnlyList<string> MissingMonths { get; init; }

    [JsonIgnore] public IReadOnlyList<HotspotView> SmallAreas => Wards ?? Lsoas ?? [];

    public static HotspotsJson Of(HotspotTable t)
    {
        var rows = t.SmallAreas.Select(h => new HotspotView(h.Code, h.Name, h.Value, h.Previous, h.ChangePercent,
            h.LikeForLike ? Change.Format(h.ChangePercent) : "no like-for-like", h.LikeForLike,
            h.Significance is { } s ? new SignificanceView(s.PValue, s.Significant, s.Explanation) : null, h.SharePercent,
            h.RatePer1000, h.Population, h.PopulationYear)).ToList();
        return new HotspotsJson
        {
            Measure = t.MeasureCode, MeasureName = t.MeasureName, Area = t.Area, Level = LevelName(t.Level),
            Period = PeriodView.Of(t.Periods.Current), PreviousPeriod = PeriodView.Of(t.Periods.Previous),
            Total = t.Total, PreviousTotal = t.PreviousTotal,
            Wards = t.Level == SmallAreaKind.Ward ? rows : null, Lsoas = t.Level == SmallAreaKind.Lsoa ? rows : null,
            Imports = t.Imports, MissingMonths = t.MissingMonths.Select(m => m.ToString()).ToList(),
        };
    }

    public static string LevelName(SmallAreaKind kind) => kind == SmallAreaKind.Ward ? "ward" : "lsoa";

    /// <summary>"ward" or "lsoa" (any case) as a level; anything else a 400 naming the parameter.</summary>
    public static SmallAreaKind ParseLevel(string parameter, string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "ward" or "wards" => SmallAreaKind.Ward,
        "lsoa" or "lsoas" => SmallAreaKind.Lsoa,
        _ => throw new Data.Reporting.BadParameterException(parameter, $"{parameter}: '{value}' is not a level; give ward or lsoa.", "The level is not valid."),
    };

    /// <summary>The table as a CSV download: one row per small area, largest first.</summary>
    public Downloads.CsvTable ToCsvTable()
    {
        var word = Level == "ward" ? "Ward" : "LSOA";
        return new Downloads.CsvTable($"kccsp-{Measure}-{Level}-hotspots-{Period.From}-to-{Period.To}.csv",
            [$"{word} code", $"{word} name", $"{Period.From} to {Period.To}", $"{PreviousPeriod.From} to {PreviousPeriod.To}", "% change",
             "Statistically significant (95%)", $"Share of {Area} (%)", "Rate per 1,000 residents", "Population (mid-year estimate)", "Population year"],
            SmallAreas.Select(r => (IReadOnlyList<object?>)[r.Code, r.Name, (decimal)r.Value, (decimal?)r.Previous, r.LikeForLike ? r.ChangePercent : "no like-for-like",
                r.Significance?.Significant, r.SharePercent, r.RatePer1000, (decimal?)r.Population, r.PopulationYear]).ToList());
    }
}
