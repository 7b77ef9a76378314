using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using KcCsp.Domain;

namespace KcCsp.Data.Partnerships;

/// <summary>
/// Writes a <see cref="PlanDocument"/> as a plan file, always the same way: fields in the order docs/plan-format.md lists
/// them, empty optional fields left out, numbers without trailing zeros, ranks and verdicts in their canonical words
/// ("3rd lowest", "✓", "×", "N/A"). Reading a file and writing it again is therefore its canonical form.
/// </summary>
public static class PlanFileWriter
{
    public static string Write(PlanDocument plan)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            w.WriteStartObject();
            w.WriteNumber("formatVersion", plan.FormatVersion);
            w.WriteString("code", plan.Code);
            w.WriteString("title", plan.Title);
            w.WriteString("partnership", plan.Partnership);
            w.WriteString("years", plan.Years);
            Optional(w, "source", plan.Source);
            w.WritePropertyName("localAuthority");
            Area(w, plan.LocalAuthority);
            w.WriteString("reportingYear", plan.ReportingYear.ToString());
            w.WriteNumber("reportingToMonth", plan.ReportingToMonth);
            Optional(w, "publishedSource", plan.PublishedSource);
            Optional(w, "executiveSummary", plan.ExecutiveSummary);
            Optional(w, "aboutThePlan", plan.AboutThePlan);
            w.WriteStartArray("priorities");
            foreach (var p in plan.Priorities) Priority(w, p);
            w.WriteEndArray();
            if (plan.OtherMeasures.Count > 0)
            {
                w.WriteStartArray("otherMeasures");
                foreach (var m in plan.OtherMeasures) Measure(w, m);
                w.WriteEndArray();
            }
            if (plan.ActionsYear is { } year) w.WriteString("actionsYear", year.ToString());
            if (plan.ActionsDue is { } due) w.WriteString("actionsDue", Date(due));
            if (plan.Targets.Count > 0)
            {
                w.WriteStartArray("targets");
                foreach (var t in plan.Targets)
                {
                    w.WriteStartObject();
                    Optional(w, "set", t.Set);
                    w.WriteString("year", t.Year.ToString());
                    w.WriteString("measure", t.Measure);
                    w.WriteString("form", t.Form.ToString());
                    Number(w, "value", t.Value);
                    Optional(w, "asPrinted", t.AsPrinted);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (plan.PeerGroups.Count > 0)
            {
                w.WriteStartArray("peerGroups");
                foreach (var g in plan.PeerGroups)
                {
                    w.WriteStartObject();
                    w.WriteString("name", g.Name);
                    Optional(w, "description", g.Description);
                    if (g.Default) w.WriteBoolean("default", true);
                    w.WriteStartArray("members");
                    foreach (var m in g.Members)
                    {
                        if (m.Code is null) w.WriteStringValue(m.Name);
                        else Area(w, m);
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Priority(Utf8JsonWriter w, PriorityDocument p)
    {
        w.WriteStartObject();
        w.WriteString("code", p.Code);
        w.WriteString("title", p.Title);
        w.WriteString("aim", p.Aim);
        Optional(w, "introduction", p.Introduction);
        Optional(w, "narrative", p.Narrative);
        if (p.Reviews.Count > 0)
        {
            w.WriteStartArray("reviews");
            foreach (var r in p.Reviews)
            {
                w.WriteStartObject();
                w.WriteString("heading", r.Heading);
                w.WriteStartArray("comments");
                foreach (var c in r.Comments) w.WriteStringValue(c);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (p.Measures.Count > 0)
        {
            w.WriteStartArray("measures");
            foreach (var m in p.Measures) Measure(w, m);
            w.WriteEndArray();
        }
        if (p.Actions.Count > 0)
        {
            w.WriteStartArray("actions");
            foreach (var a in p.Actions)
            {
                w.WriteStartObject();
                Optional(w, "theme", a.Theme);
                w.WriteString("text", a.Text);
                Optional(w, "detail", a.Detail);
                Optional(w, "leadAgency", a.LeadAgency);
                if (a.DueDate is { } due) w.WriteString("dueDate", Date(due));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void Measure(Utf8JsonWriter w, MeasureDocument m)
    {
        w.WriteStartObject();
        w.WriteString("code", m.Code);
        w.WriteString("name", m.Name);
        Optional(w, "description", m.Description);
        w.WriteString("unit", m.Unit.ToString());
        w.WriteString("polarity", m.Polarity.ToString());
        w.WriteString("source", m.Source.ToString());
        if (m.Headline) w.WriteBoolean("headline", true);
        if (m.RateOf is not null) w.WriteString("rateOf", m.RateOf);
        if (m.ShareOf is not null) w.WriteString("shareOf", m.ShareOf);
        if (m.Categories.Count > 0)
        {
            w.WriteStartArray("categories");
            foreach (var c in m.Categories) w.WriteStringValue(c);
            w.WriteEndArray();
        }
        if (m.Published is { } p)
        {
            w.WriteStartObject("published");
            Number(w, "previous", p.Previous);
            Number(w, "current", p.Current);
            if (p.ToMonth is { } month) w.WriteNumber("toMonth", month);
            w.WriteString("londonRank", p.LondonRankFromLowest is { } rank ? new LondonRank(rank, LondonRank.LondonBoroughs).Phrase : "-");
            w.WriteString("meetingTarget", p.MeetingTarget switch { TargetStatus.Met => "✓", TargetStatus.NotMet => "×", _ => "N/A" });
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void Area(Utf8JsonWriter w, AreaReference area)
    {
        w.WriteStartObject();
        if (area.Code is not null) w.WriteString("code", area.Code);
        if (area.Name is not null) w.WriteString("name", area.Name);
        w.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter w, string name, string value)
    {
        if (!string.IsNullOrEmpty(value)) w.WriteString(name, value);
    }

    /// <summary>1.2, 25.46, 1235: what was typed, whatever scale the database gave back (18,4 on PostgreSQL and SQL Server).</summary>
    private static void Number(Utf8JsonWriter w, string name, decimal value)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(value.ToString("G29", CultureInfo.InvariantCulture));
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
