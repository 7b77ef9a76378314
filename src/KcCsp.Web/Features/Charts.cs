using System.Text.Json;
using System.Text.Json.Serialization;

namespace KcCsp.Web.Features;

// Chart configurations are typed objects serialised to Chart.js's JSON; wwwroot/js/charts.js draws them.
public sealed record ChartConfig(string Type, ChartData Data, ChartOptions Options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

public sealed record ChartData(IReadOnlyList<string> Labels, IReadOnlyList<ChartDataset> Datasets);

public sealed record ChartDataset(string Label, IReadOnlyList<decimal?> Data, IReadOnlyList<string>? BackgroundColor = null, string? BorderColor = null)
{
    public IReadOnlyList<int>? BorderDash { get; init; }
    public IReadOnlyList<string>? PointBackgroundColor { get; init; }
    public IReadOnlyList<string>? PointStyle { get; init; }
    public decimal? PointRadius { get; init; }
    public decimal? BorderWidth { get; init; }
}

public sealed record ChartOptions(bool Responsive, bool MaintainAspectRatio, ChartPlugins Plugins, ChartScales? Scales = null, bool Animation = false)
{
    /// <summary>"y" for horizontal bars.</summary>
    public string? IndexAxis { get; init; }
}

public sealed record ChartPlugins(ChartLegend Legend, ChartTitle Title);

public sealed record ChartLegend(bool Display);

public sealed record ChartTitle(bool Display, string Text);

public sealed record ChartScales(ChartAxis Y);

public sealed record ChartAxis(bool BeginAtZero, ChartAxisTitle? Title = null);

public sealed record ChartAxisTitle(bool Display, string Text);

/// <summary>A chart and the table that says the same thing to a screen reader.</summary>
public sealed record ChartView(string Id, string Caption, ChartConfig Config, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);

public sealed record MeasureTableView(string Caption, IReadOnlyList<KcCsp.Data.Reporting.MeasureRow> Rows, string? CsvUrl = null);
