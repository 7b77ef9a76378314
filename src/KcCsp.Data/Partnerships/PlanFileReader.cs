using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using KcCsp.Data.Model;
using KcCsp.Domain;

namespace KcCsp.Data.Partnerships;

/// <summary>A plan file that cannot be loaded: every problem found, each naming the file, the line and the field.</summary>
public sealed class PlanFileException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// A plan file read and checked, before anything is written: the plan, or the errors with the line and JSON path of the
/// offending element. <see cref="Locate"/> names an element for the checks that need the database (category codes, areas).
/// </summary>
public sealed class PlanFileRead
{
    internal PlanFileRead(string fileName, PlanDocument? document, List<string> errors, Func<string, int> lineOf)
    {
        FileName = fileName;
        Document = document;
        Errors = errors;
        this.lineOf = lineOf;
    }

    private readonly Func<string, int> lineOf;
    public string FileName { get; }
    public PlanDocument? Document { get; }
    public List<string> Errors { get; }

    /// <summary>"maidstone.json:42 priorities[1].measures[0].categories[2]: there is no category …".</summary>
    public string Locate(string path, string message) => $"{FileName}:{lineOf(path)} {(path.Length == 0 ? "(the file)" : path)}: {message}";

    /// <summary>Each measure with its JSON path: priorities[i].measures[j] or otherMeasures[k].</summary>
    public IEnumerable<(MeasureDocument Measure, string Path)> MeasuresWithPaths() => Document is null ? [] : MeasuresWithPaths(Document);

    public static IEnumerable<(MeasureDocument Measure, string Path)> MeasuresWithPaths(PlanDocument document) =>
        document.Priorities.SelectMany((p, i) => p.Measures.Select((m, j) => (m, $"priorities[{i}].measures[{j}]")))
            .Concat(document.OtherMeasures.Select((m, k) => (m, $"otherMeasures[{k}]")));
}

/// <summary>
/// Reads a plan file (docs/plan-format.md): JSON syntax first (an error names line and column), then every field's type
/// and meaning, all errors at once, each with the line of the element it is about (from one <see cref="Utf8JsonReader"/>
/// pass recording the line every JSON path starts on) and its path.
/// </summary>
public static partial class PlanFileReader
{
    /// <summary>A plan file is a few dozen kilobytes; anything past this is not a plan and is refused before it is parsed.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,79}$")]
    private static partial Regex CodePattern();

    /// <summary>An ONS (GSS) code: a letter and eight digits, E07000110, E09000020, W06000015.</summary>
    [GeneratedRegex(@"^[EWSN]\d{8}$")]
    public static partial Regex OnsCodePattern();

    [GeneratedRegex(@"\s*(LineNumber|Path): .*$", RegexOptions.Singleline)]
    private static partial Regex JsonExceptionTail();

    public static string TooLarge(string fileName, long length) =>
        string.Create(CultureInfo.InvariantCulture, $"{fileName}:1:1: the file is {length:N0} bytes; a plan file is at most {MaxBytes:N0} bytes (is it a plan file?).");

    public static PlanFileRead Read(string fileName, byte[] bytes)
    {
        var errors = new List<string>();
        Func<string, int> noLines = _ => 1;
        if (bytes.Length > MaxBytes)
            return new(fileName, null, [TooLarge(fileName, bytes.Length)], noLines);
        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        var json = bytes.AsMemory(start);
        if (json.Span.Trim(" \t\r\n"u8).IsEmpty) return new(fileName, null, [$"{fileName}:1:1: the file is empty; a plan file is one JSON object (docs/plan-format.md)."], noLines);

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            var message = JsonExceptionTail().Replace(e.Message, "");
            return new(fileName, null, [$"{fileName}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: {message}"], noLines);
        }
        using (doc)
        {
            var lines = LinesOfPaths(json.Span);
            int LineOf(string path)
            {
                // An element that is not there (a missing field) is placed at the object that lacks it.
                while (true)
                {
                    if (lines.TryGetValue(path, out var line)) return line;
                    if (path.Length == 0) return 1;
                    var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
                    path = cut < 0 ? "" : path[..cut];
                }
            }
            var read = new PlanFileRead(fileName, null, errors, LineOf);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(read.Locate("", $"a plan file is one JSON object, not {Kind(doc.RootElement)}."));
                return read;
            }
            var plan = new Reader(read).Plan(new Node(doc.RootElement, "", read));
            return errors.Count > 0 ? read : new PlanFileRead(fileName, plan, errors, LineOf);
        }
    }

    /// <summary>The line each JSON path's value starts on ("priorities[1].measures[0].categories[2]" → 42).</summary>
    private static Dictionary<string, int> LinesOfPaths(ReadOnlySpan<byte> json)
    {
        var newlines = new List<int>();
        for (var i = json.IndexOf((byte)'\n'); i >= 0;)
        {
            newlines.Add(i);
            var next = json[(i + 1)..].IndexOf((byte)'\n');
            i = next < 0 ? -1 : i + 1 + next;
        }
        int Line(long offset)
        {
            var at = newlines.BinarySearch((int)offset);
            return (at < 0 ? ~at : at) + 1;
        }

        var lines = new Dictionary<string, int>();
        var frames = new Stack<(string Path, bool IsArray, int Next)>();
        string? property = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = reader.GetString();
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    frames.Pop();
                    continue;
                case JsonTokenType.Comment:
                    continue;
            }
            string path;
            if (frames.Count == 0) path = "";
            else if (frames.Peek().IsArray)
            {
                var top = frames.Pop();
                path = $"{top.Path}[{top.Next}]";
                frames.Push(top with { Next = top.Next + 1 });
            }
            else path = frames.Peek().Path.Length == 0 ? property! : $"{frames.Peek().Path}.{property}";
            lines.TryAdd(path, Line(reader.TokenStartIndex));
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                frames.Push((path, reader.TokenType == JsonTokenType.StartArray, 0));
        }
        return lines;
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a text",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>A JSON object being read: the fields asked for, so that the others can be reported as unknown.</summary>
    private sealed class Node(JsonElement element, string path, PlanFileRead read)
    {
        private readonly HashSet<string> asked = [];
        public string Path => path;
        public JsonElement Element => element;

        public string At(string name) => path.Length == 0 ? name : $"{path}.{name}";

        public void Error(string name, string message) => read.Errors.Add(read.Locate(name.Length == 0 ? path : At(name), message));

        private JsonElement? Get(string name, bool required, string what)
        {
            asked.Add(name);
            if (element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null) return value;
            if (required) read.Errors.Add(read.Locate(path, $"the field '{name}' ({what}) is required."));
            return null;
        }

        public string? Text(string name, bool required = false, string what = "a text")
        {
            if (Get(name, required, what) is not { } v) return null;
            if (v.ValueKind == JsonValueKind.String) return v.GetString();
            Error(name, $"expected {what}, found {Kind(v)}.");
            return null;
        }

        public string? Code(string name, string what)
        {
            var code = Text(name, true, what);
            if (code is not null && !CodePattern().IsMatch(code))
                Error(name, $"'{code}' is not a code: lower-case letters, digits and hyphens, at most 80 (e.g. \"residential-burglary\").");
            return code;
        }

        public decimal? Number(string name, bool required = false)
        {
            if (Get(name, required, "a number") is not { } v) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d)) return d;
            Error(name, v.ValueKind == JsonValueKind.Number ? $"{v.GetRawText()} is too large a number." : $"expected a number, found {Kind(v)}.");
            return null;
        }

        public int? Integer(string name, bool required, int min, int max)
        {
            var n = Number(name, required);
            if (n is null) return null;
            if (n != decimal.Truncate(n.Value) || n < min || n > max)
            {
                Error(name, $"expected a whole number from {min} to {max}, found {n.Value.ToString(CultureInfo.InvariantCulture)}.");
                return null;
            }
            return (int)n.Value;
        }

        public bool Flag(string name)
        {
            if (Get(name, false, "true or false") is not { } v) return false;
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
            Error(name, $"expected true or false, found {Kind(v)}.");
            return false;
        }

        public TEnum? Choice<TEnum>(string name) where TEnum : struct, Enum
        {
            var text = Text(name, true, $"one of {string.Join(", ", Enum.GetNames<TEnum>())}");
            if (text is null) return null;
            if (Enum.GetNames<TEnum>().Contains(text) && Enum.TryParse<TEnum>(text, out var value)) return value;
            Error(name, $"'{text}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
            return null;
        }

        public FinancialYear? Year(string name, bool required)
        {
            var text = Text(name, required, "a financial year, e.g. \"2010/11\"");
            if (text is null) return null;
            try
            {
                return FinancialYear.Parse(text);
            }
            catch (FormatException e)
            {
                Error(name, e.Message);
                return null;
            }
        }

        public DateOnly? Date(string name)
        {
            var text = Text(name, false, "a date, YYYY-MM-DD");
            if (text is null) return null;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
            Error(name, $"'{text}' is not a date: expected YYYY-MM-DD, e.g. \"2011-03-31\".");
            return null;
        }

        public Node? Object(string name, bool required, string what)
        {
            if (Get(name, required, what) is not { } v) return null;
            if (v.ValueKind == JsonValueKind.Object) return new Node(v, At(name), read);
            Error(name, $"expected {what} (an object), found {Kind(v)}.");
            return null;
        }

        /// <summary>The list's items, each with its path; a missing optional list is empty.</summary>
        public IEnumerable<(JsonElement Item, string Path)> List(string name, bool required, string what)
        {
            if (Get(name, required, what) is not { } v) return [];
            if (v.ValueKind != JsonValueKind.Array)
            {
                Error(name, $"expected a list of {what}, found {Kind(v)}.");
                return [];
            }
            return v.EnumerateArray().Select((item, i) => (item, $"{At(name)}[{i}]")).ToList();
        }

        public List<Node> Objects(string name, bool required, string what)
        {
            var nodes = new List<Node>();
            foreach (var (item, itemPath) in List(name, required, what))
            {
                if (item.ValueKind == JsonValueKind.Object) nodes.Add(new Node(item, itemPath, read));
                else read.Errors.Add(read.Locate(itemPath, $"expected {what} (an object), found {Kind(item)}."));
            }
            return nodes;
        }

        public List<(string Text, string Path)> Texts(string name, string what)
        {
            var texts = new List<(string, string)>();
            foreach (var (item, itemPath) in List(name, false, what))
            {
                if (item.ValueKind == JsonValueKind.String) texts.Add((item.GetString()!, itemPath));
                else read.Errors.Add(read.Locate(itemPath, $"expected {what} (a text), found {Kind(item)}."));
            }
            return texts;
        }

        /// <summary>Reports fields nobody asked for: a misspelt field would otherwise be silently ignored.</summary>
        public void NoOtherFields(params string[] ignored)
        {
            foreach (var p in element.EnumerateObject())
                if (!asked.Contains(p.Name) && !ignored.Contains(p.Name))
                    Error(p.Name, $"'{p.Name}' is not a field of {(path.Length == 0 ? "a plan" : "this element")}; the fields are: {string.Join(", ", asked)}.");
        }
    }

    private sealed class Reader(PlanFileRead read)
    {
        public PlanDocument? Plan(Node root)
        {
            var version = root.Integer("formatVersion", true, 1, int.MaxValue);
            if (version is not null and not PlanDocument.CurrentFormatVersion)
            {
                root.Error("formatVersion", $"format version {version} is not known to this portal, which reads version {PlanDocument.CurrentFormatVersion}.");
                return null;
            }
            var code = root.Code("code", "the plan's code, e.g. \"kc-2010-2013\"");
            var title = root.Text("title", true);
            var partnership = root.Text("partnership", true);
            var years = root.Text("years", true, "a text, e.g. \"2010-2013\"");
            var area = LocalAuthority(root);
            var reportingYear = root.Year("reportingYear", true);
            var reportingToMonth = root.Integer("reportingToMonth", true, 1, 12);
            var publishedSource = root.Text("publishedSource") ?? "";
            var source = root.Text("source") ?? "";
            var summary = root.Text("executiveSummary") ?? "";
            var about = root.Text("aboutThePlan") ?? "";
            var priorities = root.Objects("priorities", true, "priorities").Select(Priority).ToList();
            var others = root.Objects("otherMeasures", false, "measures").Select(Measure).ToList();
            var actionsYear = root.Year("actionsYear", false);
            var actionsDue = root.Date("actionsDue");
            var targets = root.Objects("targets", false, "targets").Select(Target).ToList();
            var groups = root.Objects("peerGroups", false, "peer groups").Select(PeerGroup).ToList();
            root.NoOtherFields("$schema", "_about");

            var plan = code is null || title is null || partnership is null || years is null || area is null || reportingYear is null || reportingToMonth is null
                || priorities.Any(p => p is null) || others.Any(m => m is null) || targets.Any(t => t is null) || groups.Any(g => g is null)
                ? null
                : new PlanDocument
                {
                    Code = code, Title = title, Partnership = partnership, Years = years, LocalAuthority = area,
                    ReportingYear = reportingYear.Value, ReportingToMonth = reportingToMonth.Value, PublishedSource = publishedSource, Source = source,
                    ExecutiveSummary = summary, AboutThePlan = about, Priorities = priorities!, OtherMeasures = others!,
                    ActionsYear = actionsYear, ActionsDue = actionsDue, Targets = targets!, PeerGroups = groups!,
                };
            if (plan is not null) CheckReferences(plan, root);
            return plan;
        }

        private static AreaReference? LocalAuthority(Node root)
        {
            var la = root.Object("localAuthority", false, "the partnership's local authority, {\"code\", \"name\"}");
            var homeArea = root.Text("homeArea");
            if (la is null)
            {
                if (homeArea is null) root.Error("", "the field 'localAuthority' ({\"code\": \"E07000110\", \"name\": \"Maidstone\"}) is required.");
                return homeArea is null ? null : new AreaReference(null, homeArea);
            }
            if (homeArea is not null) root.Error("homeArea", "give the local authority once: 'localAuthority' or the older 'homeArea', not both.");
            var area = Area(la, true);
            la.NoOtherFields();
            return area;
        }

        private static AreaReference? Area(Node node, bool codeRequired)
        {
            var code = node.Text("code", codeRequired, "an ONS code, e.g. \"E07000110\"");
            var name = node.Text("name", !codeRequired, "the area's name");
            if (code is not null && !OnsCodePattern().IsMatch(code))
            {
                node.Error("code", $"'{code}' is not shaped like an ONS code: a letter E, W, S or N and eight digits, e.g. \"E07000110\".");
                return null;
            }
            return code is null && name is null ? null : new AreaReference(code, name);
        }

        private PriorityDocument? Priority(Node node)
        {
            var code = node.Code("code", "the priority's code");
            var title = node.Text("title", true);
            var aim = node.Text("aim", true);
            var introduction = node.Text("introduction") ?? "";
            var narrative = node.Text("narrative") ?? "";
            var reviews = node.Objects("reviews", false, "reviews").Select(r =>
            {
                var heading = r.Text("heading", true);
                var comments = r.Texts("comments", "comments").Select(c => c.Text).ToList();
                r.NoOtherFields();
                return heading is null ? null : new ReviewDocument(heading, comments);
            }).ToList();
            var measures = node.Objects("measures", false, "measures").Select(Measure).ToList();
            var actions = node.Objects("actions", false, "actions").Select(Action).ToList();
            node.NoOtherFields();
            if (code is null || title is null || aim is null || reviews.Any(r => r is null) || measures.Any(m => m is null) || actions.Any(a => a is null)) return null;
            var seen = new HashSet<string>();
            foreach (var (a, i) in actions.Select((a, i) => (a!, i)))
                if (!seen.Add(a.Text.Trim()))
                    read.Errors.Add(read.Locate($"{node.Path}.actions[{i}].text", "the same action twice in one priority: an action is known by its priority and its text."));
            return new PriorityDocument
            {
                Code = code, Title = title, Aim = aim, Introduction = introduction, Narrative = narrative,
                Reviews = reviews!, Measures = measures!, Actions = actions!,
            };
        }

        private MeasureDocument? Measure(Node node)
        {
            var code = node.Code("code", "the measure's code");
            var name = node.Text("name", true);
            var description = node.Text("description") ?? "";
            var unit = node.Choice<MeasureUnit>("unit");
            var polarity = node.Choice<Polarity>("polarity");
            var source = node.Choice<MeasureSource>("source");
            var headline = node.Flag("headline");
            var rateOf = node.Text("rateOf", false, "a measure's code");
            var shareOf = node.Text("shareOf", false, "a measure's code");
            var categories = node.Texts("categories", "category codes");
            var published = node.Object("published", false, "a Section 2 row, {\"previous\", \"current\", \"londonRank\", \"meetingTarget\"}") is { } p ? Published(p) : null;
            node.NoOtherFields();

            var seen = new HashSet<string>();
            foreach (var (c, path) in categories)
                if (!seen.Add(c.TrimStart('+'))) read.Errors.Add(read.Locate(path, $"the category '{c}' is listed twice."));
            if (categories.Count > 0 && source is not null and not MeasureSource.CrimeExtract)
                node.Error("categories", $"categories add up crime counts: they belong to measures whose source is CrimeExtract, not {source}.");
            if (categories.Any(c => c.Text == "*") && categories.Count > 1)
                node.Error("categories", "\"*\" is every MPS category already; list nothing else with it.");
            if (rateOf is not null && unit is not null and not MeasureUnit.RatePer1000)
                node.Error("rateOf", $"'rateOf' makes a rate per 1,000 residents: the unit must be RatePer1000, not {unit}.");
            if (shareOf is not null && unit is not null and not MeasureUnit.Percentage)
                node.Error("shareOf", $"'shareOf' makes a percentage of another measure: the unit must be Percentage, not {unit}.");
            if (shareOf is not null && categories.Count == 0)
                node.Error("shareOf", "a share of another measure counts its own categories over that measure's: list the categories it counts.");
            if (rateOf is not null && shareOf is not null)
                node.Error("shareOf", "a measure is a rate of one measure or a share of one, not both.");
            if (code is null || name is null || unit is null || polarity is null || source is null) return null;
            return new MeasureDocument
            {
                Code = code, Name = name, Description = description, Unit = unit.Value, Polarity = polarity.Value, Source = source.Value,
                Headline = headline, RateOf = rateOf, ShareOf = shareOf, Categories = categories.Select(c => c.Text).ToList(), Published = published,
            };
        }

        private static PublishedDocument? Published(Node node)
        {
            var previous = node.Number("previous", true);
            var current = node.Number("current", true);
            var toMonth = node.Integer("toMonth", false, 1, 12);
            var rankText = node.Text("londonRank", false, "a London rank, e.g. \"3rd lowest\", or \"-\"");
            var verdictText = node.Text("meetingTarget", false, "✓, ×, N/A or -");
            node.NoOtherFields();
            int? rank = null;
            if (rankText is not null && rankText.Trim() is not ("-" or "–" or "" or "N/A"))
            {
                if (LondonRank.TryParse(rankText, out var r)) rank = r.PositionFromLowest;
                else node.Error("londonRank", $"'{rankText}' is not a London rank: expected e.g. \"9th lowest\", \"6th highest\" or \"-\".");
            }
            var verdict = TargetStatus.NoTarget;
            if (verdictText is not null)
            {
                try
                {
                    verdict = Seed.PlanSeeder.ParseMeetingTarget(verdictText);
                }
                catch (FormatException)
                {
                    node.Error("meetingTarget", $"'{verdictText}' is not a verdict: expected ✓ (met), × (not met), N/A, None or - (no target).");
                }
            }
            return previous is null || current is null ? null : new PublishedDocument(previous.Value, current.Value, toMonth, rank, verdict);
        }

        private static ActionDocument? Action(Node node)
        {
            var theme = node.Text("theme") ?? "";
            var text = node.Text("text", true);
            var detail = node.Text("detail") ?? "";
            var lead = node.Text("leadAgency") ?? "";
            var due = node.Date("dueDate");
            node.NoOtherFields();
            return text is null ? null : new ActionDocument { Theme = theme, Text = text, Detail = detail, LeadAgency = lead, DueDate = due };
        }

        private static TargetDocument? Target(Node node)
        {
            var set = node.Text("set") ?? "";
            var year = node.Year("year", true);
            var measure = node.Text("measure", true, "a measure's code");
            var form = node.Choice<TargetForm>("form");
            var value = node.Number("value", true);
            var asPrinted = node.Text("asPrinted") ?? "";
            node.NoOtherFields();
            return year is null || measure is null || form is null || value is null ? null : new TargetDocument(set, year.Value, measure, form.Value, value.Value, asPrinted);
        }

        private PeerGroupDocument? PeerGroup(Node node)
        {
            var name = node.Text("name", true);
            var description = node.Text("description") ?? "";
            var isDefault = node.Flag("default");
            var members = new List<AreaReference?>();
            foreach (var (item, path) in node.List("members", true, "areas"))
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    var text = item.GetString()!;
                    members.Add(OnsCodePattern().IsMatch(text) ? new AreaReference(text, null) : new AreaReference(null, text));
                }
                else if (item.ValueKind == JsonValueKind.Object)
                {
                    var member = new Node(item, path, read);
                    members.Add(Area(member, false));
                    member.NoOtherFields();
                }
                else
                {
                    read.Errors.Add(read.Locate(path, $"expected an area (an ONS code, a name or {{\"code\", \"name\"}}), found {Kind(item)}."));
                    members.Add(null);
                }
            }
            node.NoOtherFields();
            return name is null || members.Any(m => m is null) ? null : new PeerGroupDocument(name, description, isDefault, members!);
        }

        /// <summary>The checks across the file: codes unique, and every measure a rate, share or target names is in the file.</summary>
        private void CheckReferences(PlanDocument plan, Node root)
        {
            var priorities = new HashSet<string>();
            foreach (var (p, i) in plan.Priorities.Select((p, i) => (p, i)))
                if (!priorities.Add(p.Code)) read.Errors.Add(read.Locate($"priorities[{i}].code", $"the priority code '{p.Code}' is used twice."));
            var measures = new Dictionary<string, MeasureDocument>();
            foreach (var (m, path) in PlanFileRead.MeasuresWithPaths(plan))
                if (!measures.TryAdd(m.Code, m)) read.Errors.Add(read.Locate($"{path}.code", $"the measure code '{m.Code}' is used twice: codes are unique within a plan."));
            foreach (var (m, path) in PlanFileRead.MeasuresWithPaths(plan))
            {
                if (m.RateOf is { } rateOf)
                {
                    if (!measures.TryGetValue(rateOf, out var of)) read.Errors.Add(read.Locate($"{path}.rateOf", $"there is no measure '{rateOf}' in this plan{Suggest(rateOf, measures.Keys)}."));
                    else if (of.Unit != MeasureUnit.Count) read.Errors.Add(read.Locate($"{path}.rateOf", $"'{rateOf}' is a {of.Unit}; a rate per 1,000 is of a count."));
                }
                if (m.ShareOf is { } shareOf)
                {
                    if (!measures.TryGetValue(shareOf, out var of)) read.Errors.Add(read.Locate($"{path}.shareOf", $"there is no measure '{shareOf}' in this plan{Suggest(shareOf, measures.Keys)}."));
                    else if (of.Unit != MeasureUnit.Count || of.Categories.Count == 0) read.Errors.Add(read.Locate($"{path}.shareOf", $"'{shareOf}' is not a count of crime categories; a share is of one."));
                    else if (shareOf == m.Code) read.Errors.Add(read.Locate($"{path}.shareOf", "a measure cannot be a share of itself."));
                }
            }
            var targets = new HashSet<(string, FinancialYear)>();
            foreach (var (t, i) in plan.Targets.Select((t, i) => (t, i)))
            {
                if (!measures.ContainsKey(t.Measure)) read.Errors.Add(read.Locate($"targets[{i}].measure", $"there is no measure '{t.Measure}' in this plan{Suggest(t.Measure, measures.Keys)}."));
                else if (!targets.Add((t.Measure, t.Year))) read.Errors.Add(read.Locate($"targets[{i}]", $"a second target for '{t.Measure}' in {t.Year}: a measure has one target a year."));
            }
            var groups = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (g, i) in plan.PeerGroups.Select((g, i) => (g, i)))
                if (!groups.Add(g.Name)) read.Errors.Add(read.Locate($"peerGroups[{i}].name", $"the peer group '{g.Name}' is named twice."));
            if (plan.PeerGroups.Count(g => g.Default) > 1) root.Error("peerGroups", "at most one peer group is the default.");
            var actions = plan.Priorities.SelectMany(p => p.Actions).ToList();
            if (actions.Count > 0 && (plan.ActionsYear is null))
                root.Error("", "the field 'actionsYear' (the financial year the actions are for, e.g. \"2010/11\") is required when the plan has actions.");
        }
    }

    /// <summary>" (did you mean 'x'?)" for the closest of <paramref name="known"/> within a few edits, or nothing.</summary>
    public static string Suggest(string typed, IEnumerable<string> known)
    {
        var best = known.Select(k => (Code: k, Distance: Distance(typed, k))).Where(x => x.Distance <= Math.Max(2, x.Code.Length / 4))
            .OrderBy(x => x.Distance).ThenBy(x => x.Code, StringComparer.Ordinal).FirstOrDefault();
        return best.Code is null ? "" : $" (did you mean '{best.Code}'?)";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
