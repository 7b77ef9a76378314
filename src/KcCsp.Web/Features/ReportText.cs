using KcCsp.Data.Model;
using KcCsp.Data.Reporting;
using KcCsp.Domain;

namespace KcCsp.Web.Features;

/// <summary>The words and numbers a report row is shown with, the same on pages, CSV files, the board pack and the API.</summary>
public static class ReportText
{
    /// <summary>"-5.8%", "n/a" for a zero base, "–" when a year has no figure.</summary>
    public static string Change(MeasureRow r) => r.Current is null || r.Previous is null ? "–" : Domain.Change.Format(r.ChangePercent);

    public static string Status(MeasureRow r) => TargetStatusText.Word(r.Evaluation.Status);

    public static string StatusIcon(MeasureRow r) => TargetStatusText.Icon(r.Evaluation.Status);

    public static string? Rank(MeasureRow r) => r.LondonRank?.Rank.Phrase;

    public static string? RankSource(MeasureRow r) => r.LondonRank?.Source switch
    {
        null => null,
        Data.Reporting.RankSource.Published => "published",
        _ => "computed",
    };

    public static string? Source(MeasureRow r) => r.Current is { } c ? FigureSources.Word(c.Source) : null;

    /// <summary>How the portal reads a target: what "met" means for it.</summary>
    public static string TargetMeaning(TargetForm form, decimal value, MeasureUnit unit) => form switch
    {
        TargetForm.ChangeAgainstPreviousYear => $"a change of {Domain.Change.Format(value)} or better against the previous year",
        TargetForm.CeilingOnGrowth => $"growth of at most {Domain.Change.Format(value)} against the previous year",
        TargetForm.Level => $"a level of {value:0.##}%",
        _ => unit == MeasureUnit.RatePer1000 ? $"a rate of {value:0.00} per 1,000 residents" : $"{value:#,0.##} for the year",
    };

    public static string TargetMeaning(TargetLine t) => TargetMeaning(t.Form, t.Value, t.Measure.Unit);

    public static string UnitLabel(MeasureUnit unit) => unit switch
    {
        MeasureUnit.RatePer1000 => "Rate per 1,000 residents",
        MeasureUnit.Percentage => "Percentage",
        _ => "Offences / incidents",
    };
}
