using System.Security.Cryptography;
using System.Text;
using KcCsp.Data.Model;
using KcCsp.Data.People;
using KcCsp.Domain;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Partnerships;

/// <summary>What loading a plan file did: the plan, whether it was new, the revision's number and its changes.</summary>
public sealed record PlanFileLoaded(int PlanId, string PlanCode, bool Created, int Revision, IReadOnlyList<string> Changes)
{
    /// <summary>Some measure's categories changed (or a measure with categories came or went): stored monthly values are stale.</summary>
    public bool CountsChanged { get; init; }
}

/// <summary>
/// Plan files in and out (docs/plan-format.md): <see cref="ImportAsync"/> creates a plan whose code is new, or revises the
/// plan with that code — priorities and measures matched by code, actions by priority and text, targets by measure and
/// year, changed in place, new ones added, and ones the file no longer has removed when nothing hangs off them (an
/// analyst's or an import's figures, monthly values, action updates, published analyses); otherwise the whole file is
/// refused, naming them. Every load is one audited unit of work and keeps the file as a <see cref="PlanRevision"/>.
/// <see cref="ExportAsync"/> writes a plan as it now stands, so that importing an export changes nothing.
/// </summary>
public sealed class PlanFiles(KcCspDbContext db, UnitOfWork work, TimeProvider clock, Importing.MeasureValueRecomputer recomputer, Importing.ImportLock importLock)
{
    /// <summary>Loads the file as one audited unit: the plan's records (audited one by one), its revision and one entry for the import.</summary>
    public async Task<PlanFileLoaded> ImportAsync(string fileName, byte[] bytes, string? who, CancellationToken ct = default)
    {
        var read = PlanFileReader.Read(fileName, bytes);
        if (read.Document is null) throw new PlanFileException(read.Errors);
        // A change of a measure's categories recomputes the stored monthly values, as a category mapping does: one at a
        // time with imports, rollbacks and mappings.
        using var held = await importLock.AcquireAsync(ct);
        return await work.RunAsync(who, async c =>
        {
            await importLock.LockDatabaseAsync(db, c);
            var loaded = await ApplyAsync(read, bytes, who ?? "cli", c);
            if (loaded.CountsChanged && await db.ImportCoverages.AnyAsync(c))
            {
                var changes = loaded.Changes.ToList();
                if (db.PlanScopeId is null)
                {
                    var (count, _, _) = await recomputer.RecomputeAsync(null, c);
                    changes.Add($"measure values recomputed from the imports: {count} area-month(s) changed");
                }
                // The recomputation reads every plan's measures: not from a context that sees one plan only.
                else changes.Add("measure values: recomputed at the next import (the file was loaded scoped to its plan)");
                loaded = loaded with { Changes = changes };
            }
            work.Record(loaded.Created ? "plan file imported (new plan)" : "plan file imported (revision)", nameof(Plan), loaded.PlanCode, null,
                new { File = fileName, loaded.Revision, Sha256 = Sha256(bytes), loaded.Changes });
            return loaded;
        }, ct);
    }

    /// <summary>
    /// Checks the file against the database (categories, areas) and makes its changes in the context, saving inside the
    /// caller's transaction; throws <see cref="PlanFileException"/> with every problem, before anything is saved.
    /// </summary>
    internal async Task<PlanFileLoaded> ApplyAsync(PlanFileRead read, byte[] bytes, string who, CancellationToken ct)
    {
        var doc = read.Document ?? throw new PlanFileException(read.Errors);
        var errors = new List<string>();
        var existing = await db.Plans.Include(p => p.HomeArea).SingleOrDefaultAsync(p => p.Code == doc.Code, ct);
        // The loader reads and writes one plan: not while the context is scoped to another.
        if (db.PlanScopeId is { } scoped && scoped != existing?.Id)
            throw new InvalidOperationException($"Loading plan '{doc.Code}' while scoped to another plan: load a plan file unscoped or scoped to that plan.");

        var categories = await CategoriesAsync(read, errors, ct);
        var areas = await db.Areas.ToListAsync(ct);
        var home = ResolveArea(doc.LocalAuthority, "localAuthority", read, areas, errors);
        if (existing is not null && home is not null && existing.HomeAreaId != home.Id)
            errors.Add(read.Locate("localAuthority", $"plan '{doc.Code}' is {existing.HomeArea!.Name}'s; a revision cannot move it to another local authority."));
        var groupMembers = doc.PeerGroups.Select((g, i) => g.Members.Select((m, j) => ResolveArea(m, $"peerGroups[{i}].members[{j}]", read, areas, errors)).ToList()).ToList();
        if (errors.Count > 0) throw new PlanFileException(errors);

        var now = clock.GetUtcNow();
        var changes = new List<string>();
        var created = existing is null;
        var plan = existing ?? new Plan { Code = doc.Code, Title = doc.Title, Partnership = doc.Partnership, Years = doc.Years, HomeArea = home };
        if (created) db.Plans.Add(plan);
        Set(plan.Title, doc.Title, v => plan.Title = v, "title", changes, created);
        Set(plan.Partnership, doc.Partnership, v => plan.Partnership = v, "partnership", changes, created);
        Set(plan.Years, doc.Years, v => plan.Years = v, "years", changes, created);
        Set(plan.Source, doc.Source, v => plan.Source = v, "source", changes, created);
        Set(plan.ExecutiveSummary, doc.ExecutiveSummary, v => plan.ExecutiveSummary = v, "executive summary", changes, created);
        Set(plan.AboutThePlan, doc.AboutThePlan, v => plan.AboutThePlan = v, "about the plan", changes, created);
        Set(plan.ReportingYear, doc.ReportingYear, v => plan.ReportingYear = v, "reporting year", changes, created);
        Set(plan.ReportingToMonth, doc.ReportingToMonth, v => plan.ReportingToMonth = v, "reporting month", changes, created);
        Set(plan.PublishedSource, doc.PublishedSource, v => plan.PublishedSource = v, "published source", changes, created);
        Set(plan.ActionsYear, doc.ActionsYear, v => plan.ActionsYear = v, "actions' year", changes, created);
        Set(plan.ActionsDue, doc.ActionsDue, v => plan.ActionsDue = v, "actions' due date", changes, created);

        // The plan as it stands: every record of it, whatever the context's scope (it is this plan or none).
        var priorities = created ? [] : await db.Priorities.Where(p => p.PlanId == plan.Id).Include(p => p.Reviews).Include(p => p.Actions).AsSplitQuery().ToListAsync(ct);
        var measures = created ? [] : await db.Measures.Where(m => m.PlanId == plan.Id).Include(m => m.Targets).ToListAsync(ct);
        var measureIds = measures.Select(m => m.Id).ToList();
        var measureCategories = created ? [] : await db.MeasureCategories.Where(mc => measureIds.Contains(mc.MeasureId)).ToListAsync(ct);
        var published = created ? [] : await db.Figures.Where(f => measureIds.Contains(f.MeasureId) && f.Source == FigureSource.Published && f.AreaId == plan.HomeAreaId).ToListAsync(ct);

        var priorityByCode = priorities.ToDictionary(p => p.Code);
        var measureByCode = measures.ToDictionary(m => m.Code);
        var keptMeasures = new HashSet<Measure>();
        var keptPriorities = new HashSet<Priority>();
        var removedActions = new List<PlanAction>();
        var refusals = new List<string>();
        var countsChanged = false;
        var order = 0;
        var measureOrder = 0;

        Measure LoadMeasure(MeasureDocument m, Priority? priority)
        {
            var isNew = !measureByCode.TryGetValue(m.Code, out var measure);
            if (measure is null)
            {
                measure = new Measure { Plan = plan, Code = m.Code, Name = m.Name };
                db.Measures.Add(measure);
                measureByCode.Add(m.Code, measure);
                changes.Add($"measure {m.Code}: added");
            }
            keptMeasures.Add(measure);
            var what = new List<string>();
            Set(measure.Name, m.Name, v => measure.Name = v, "name", what, isNew);
            Set(measure.Description, m.Description, v => measure.Description = v, "description", what, isNew);
            Set(measure.Unit, m.Unit, v => measure.Unit = v, "unit", what, isNew);
            Set(measure.Polarity, m.Polarity, v => measure.Polarity = v, "polarity", what, isNew);
            Set(measure.Source, m.Source, v => measure.Source = v, "source", what, isNew);
            Set(measure.IsHeadline, m.Headline, v => measure.IsHeadline = v, "headline", what, isNew);
            Set(measure.SortOrder, ++measureOrder, v => measure.SortOrder = v, "order", what, isNew);
            // Every priority and measure of the plan is tracked, so the navigations are already fixed up.
            if (measure.Priority != priority)
            {
                measure.Priority = priority;
                if (priority is null) measure.PriorityId = null;
                if (!isNew) what.Add("priority");
            }
            if (m.Published is { } p) LoadPublished(measure, p, what, isNew);
            if (what.Count > 0 && !isNew) changes.Add($"measure {m.Code}: {string.Join(", ", what)}");
            return measure;
        }

        void LoadPublished(Measure measure, PublishedDocument p, List<string> what, bool isNew)
        {
            var current = LikeForLike.YearToDate(doc.ReportingYear, p.ToMonth ?? doc.ReportingToMonth);
            var mine = measure.Id == 0 ? [] : published.Where(f => f.MeasureId == measure.Id).ToList();
            var changed = false;
            foreach (var (period, value, rank, status) in new[]
            {
                (current.Previous, p.Previous, (int?)null, (TargetStatus?)null),
                (current.Current, p.Current, p.LondonRankFromLowest, (TargetStatus?)p.MeetingTarget),
            })
            {
                var figure = mine.FirstOrDefault(f => f.From == period.From && f.To == period.To);
                if (figure is null)
                {
                    figure = new Figure { Measure = measure, Area = home, From = period.From, To = period.To, EnteredAt = now, Source = FigureSource.Published };
                    db.Figures.Add(figure);
                    changed = true;
                }
                else mine.Remove(figure);
                if (figure.Value != value || figure.SourceNote != doc.PublishedSource || figure.PublishedLondonRank != rank || figure.PublishedStatus != status)
                {
                    figure.Value = value;
                    figure.SourceNote = doc.PublishedSource;
                    figure.PublishedLondonRank = rank;
                    figure.PublishedStatus = status;
                    changed = true;
                }
            }
            foreach (var stale in mine)
            {
                db.Figures.Remove(stale);
                changed = true;
            }
            if (changed && !isNew) what.Add("published figures");
        }

        foreach (var ps in doc.Priorities)
        {
            var isNew = !priorityByCode.TryGetValue(ps.Code, out var priority);
            if (priority is null)
            {
                priority = new Priority { Plan = plan, Code = ps.Code, Title = ps.Title, Aim = ps.Aim };
                db.Priorities.Add(priority);
                changes.Add($"priority {ps.Code}: added");
            }
            keptPriorities.Add(priority);
            var what = new List<string>();
            Set(priority.SortOrder, ++order, v => priority.SortOrder = v, "order", what, isNew);
            Set(priority.Title, ps.Title, v => priority.Title = v, "title", what, isNew);
            Set(priority.Aim, ps.Aim, v => priority.Aim = v, "aim", what, isNew);
            Set(priority.Introduction, ps.Introduction, v => priority.Introduction = v, "introduction", what, isNew);
            Set(priority.Narrative, ps.Narrative, v => priority.Narrative = v, "narrative", what, isNew);

            // Section 2 reviews: in the file's order, one per heading.
            var reviews = priority.Reviews.OrderBy(r => r.SortOrder).ToList();
            for (var i = 0; i < ps.Reviews.Count; i++)
            {
                var r = ps.Reviews[i];
                var comments = string.Join('\n', r.Comments);
                if (i < reviews.Count)
                {
                    var review = reviews[i];
                    if (review.Heading != r.Heading || review.Comments != comments || review.FinancialYear != doc.ReportingYear || review.SortOrder != i + 1)
                    {
                        (review.Heading, review.Comments, review.FinancialYear, review.SortOrder) = (r.Heading, comments, doc.ReportingYear, i + 1);
                        what.Add($"review {i + 1}");
                    }
                }
                else
                {
                    db.PriorityReviews.Add(new PriorityReview { Priority = priority, FinancialYear = doc.ReportingYear, SortOrder = i + 1, Heading = r.Heading, Comments = comments });
                    if (!isNew) what.Add($"review {i + 1} added");
                }
            }
            foreach (var extra in reviews.Skip(ps.Reviews.Count))
            {
                db.PriorityReviews.Remove(extra);
                what.Add($"review {extra.SortOrder} removed");
            }

            foreach (var m in ps.Measures) LoadMeasure(m, priority);

            var actions = priority.Actions.ToDictionary(a => a.Text.Trim());
            var actionOrder = 0;
            foreach (var a in ps.Actions)
            {
                var actionIsNew = !actions.Remove(a.Text.Trim(), out var action);
                if (action is null)
                {
                    action = new PlanAction { Priority = priority, Text = a.Text, Status = ActionStatus.NotStarted };
                    db.Actions.Add(action);
                    if (!isNew) what.Add($"action added: {Short(a.Text)}");
                }
                var changed = new List<string>();
                Set(action.Theme, a.Theme, v => action.Theme = v, "theme", changed, actionIsNew);
                Set(action.Text, a.Text, v => action.Text = v, "text", changed, actionIsNew);
                Set(action.Detail, a.Detail, v => action.Detail = v, "detail", changed, actionIsNew);
                Set(action.LeadAgency, a.LeadAgency, v => action.LeadAgency = v, "lead agency", changed, actionIsNew);
                Set(action.FinancialYear, doc.ActionsYear ?? doc.ReportingYear, v => action.FinancialYear = v, "year", changed, actionIsNew);
                Set(action.DueDate, a.DueDate ?? doc.ActionsDue, v => action.DueDate = v, "due date", changed, actionIsNew);
                Set(action.SortOrder, ++actionOrder, v => action.SortOrder = v, "order", changed, actionIsNew);
                if (changed.Count > 0) what.Add($"action {Short(a.Text)}: {string.Join(", ", changed)}");
            }
            removedActions.AddRange(actions.Values);
            foreach (var gone in actions.Values) what.Add($"action removed: {Short(gone.Text)}");
            if (what.Count > 0 && !isNew) changes.Add($"priority {ps.Code}: {string.Join("; ", what)}");
        }
        foreach (var m in doc.OtherMeasures) LoadMeasure(m, null);

        // Rates and shares point within the plan; set once every measure of the file is known.
        foreach (var m in doc.AllMeasures)
        {
            var measure = measureByCode[m.Code];
            var rateOf = m.RateOf is null ? null : measureByCode[m.RateOf];
            var shareOf = m.ShareOf is null ? null : measureByCode[m.ShareOf];
            if (measure.RateOfMeasure != rateOf)
            {
                if (measure.Id != 0) changes.Add($"measure {m.Code}: rate of {m.RateOf ?? "nothing"}");
                measure.RateOfMeasure = rateOf;
                if (rateOf is null) measure.RateOfMeasureId = null;
            }
            if (measure.ShareOfMeasure != shareOf)
            {
                if (measure.Id != 0) changes.Add($"measure {m.Code}: share of {m.ShareOf ?? "nothing"}");
                measure.ShareOfMeasure = shareOf;
                if (shareOf is null) measure.ShareOfMeasureId = null;
            }
        }

        // Targets: one per measure and year.
        var targets = measures.SelectMany(m => m.Targets.Select(t => (Measure: m, Target: t))).ToDictionary(x => (x.Measure.Code, x.Target.FinancialYear), x => x.Target);
        foreach (var t in doc.Targets)
        {
            if (!targets.Remove((t.Measure, t.Year), out var target))
            {
                target = new Target { Measure = measureByCode[t.Measure], FinancialYear = t.Year };
                db.Targets.Add(target);
                if (!created) changes.Add($"target {t.Measure} {t.Year}: added");
                (target.Form, target.Value, target.AsPrinted, target.Set) = (t.Form, t.Value, t.AsPrinted, t.Set);
            }
            else if (target.Form != t.Form || target.Value != t.Value || target.AsPrinted != t.AsPrinted || target.Set != t.Set)
            {
                (target.Form, target.Value, target.AsPrinted, target.Set) = (t.Form, t.Value, t.AsPrinted, t.Set);
                changes.Add($"target {t.Measure} {t.Year}: changed");
            }
        }
        foreach (var ((code, year), target) in targets.Where(x => keptMeasures.Contains(measureByCode[x.Key.Code])))
        {
            db.Targets.Remove(target);
            changes.Add($"target {code} {year}: removed");
        }

        // Categories: the measure's set, defining or only counted ("+code").
        foreach (var m in doc.AllMeasures)
        {
            var measure = measureByCode[m.Code];
            var wanted = Expand(m.Categories, categories);
            var have = measure.Id == 0 ? [] : measureCategories.Where(mc => mc.MeasureId == measure.Id).ToList();
            var changed = false;
            foreach (var mc in have)
            {
                if (!wanted.TryGetValue(mc.CategoryId, out var defining)) { db.MeasureCategories.Remove(mc); changed = true; }
                else if (mc.IsDefining != defining) { mc.IsDefining = defining; changed = true; }
            }
            foreach (var (id, defining) in wanted.Where(w => have.All(h => h.CategoryId != w.Key)))
            {
                db.MeasureCategories.Add(new MeasureCategory { Measure = measure, CategoryId = id, IsDefining = defining });
                changed = true;
            }
            if (changed && measure.Id != 0) changes.Add($"measure {m.Code}: categories");
            countsChanged |= changed;
        }

        // What the file no longer has: removed when nothing hangs off it, else the file is refused.
        var goneMeasures = measures.Where(m => !keptMeasures.Contains(m)).ToList();
        var gonePriorities = priorities.Where(p => !keptPriorities.Contains(p)).ToList();
        removedActions.AddRange(gonePriorities.SelectMany(p => p.Actions));
        if (goneMeasures.Count > 0)
        {
            var ids = goneMeasures.Select(m => m.Id).ToList();
            var figures = await db.Figures.Where(f => ids.Contains(f.MeasureId) && (f.Source != FigureSource.Published || f.AreaId != plan.HomeAreaId))
                .GroupBy(f => f.MeasureId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
            var values = await db.MeasureMonthValues.Where(v => ids.Contains(v.MeasureId))
                .GroupBy(v => v.MeasureId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
            foreach (var m in goneMeasures)
            {
                var hanging = new List<string>();
                if (figures.TryGetValue(m.Id, out var f)) hanging.Add($"{f} figure(s) entered or imported");
                if (values.TryGetValue(m.Id, out var v)) hanging.Add($"{v} monthly value(s) from crime imports");
                if (hanging.Count > 0)
                    refusals.Add($"{read.FileName}: measure '{m.Code}' is not in the file but has {string.Join(" and ", hanging)}: keep it in the file (export-plan writes it).");
            }
        }
        if (removedActions.Count > 0)
        {
            var ids = removedActions.Select(a => a.Id).ToList();
            var updated = await db.ActionUpdates.Where(u => ids.Contains(u.ActionId)).GroupBy(u => u.ActionId)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
            foreach (var a in removedActions.Where(a => updated.ContainsKey(a.Id)))
                refusals.Add($"{read.FileName}: the action '{Short(a.Text)}' ({priorities.Single(p => p.Id == a.PriorityId).Code}) is not in the file but has {updated[a.Id]} progress update(s): keep it, word for word, in its priority.");
        }
        if (gonePriorities.Count > 0)
        {
            var ids = gonePriorities.Select(p => p.Id).ToList();
            var analysed = await db.AnalysisPublications.Where(a => ids.Contains(a.PriorityId)).Select(a => a.PriorityId).Distinct().ToListAsync(ct);
            foreach (var p in gonePriorities.Where(p => analysed.Contains(p.Id)))
                refusals.Add($"{read.FileName}: the priority '{p.Code}' is not in the file but has published analyses: keep it in the file.");
        }
        if (refusals.Count > 0) throw new PlanFileException(refusals);

        foreach (var m in goneMeasures)
        {
            db.Figures.RemoveRange(published.Where(f => f.MeasureId == m.Id));
            db.MeasureCategories.RemoveRange(measureCategories.Where(mc => mc.MeasureId == m.Id));
            db.Targets.RemoveRange(m.Targets);
            m.RateOfMeasure = null;
            m.ShareOfMeasure = null;
            db.Measures.Remove(m);
            changes.Add($"measure {m.Code}: removed");
            countsChanged |= measureCategories.Any(mc => mc.MeasureId == m.Id);
        }
        db.Actions.RemoveRange(removedActions);
        foreach (var p in gonePriorities)
        {
            db.PriorityReviews.RemoveRange(p.Reviews);
            db.Priorities.Remove(p);
            changes.Add($"priority {p.Code}: removed");
        }

        await LoadPeerGroupsAsync(doc, groupMembers, changes, ct);

        await db.SaveChangesAsync(ct);
        var number = created ? 1 : await db.PlanRevisions.Where(r => r.PlanId == plan.Id).MaxAsync(r => (int?)r.Number, ct) ?? 0;
        if (!created) number++;
        if (!created && changes.Count == 0) changes.Add("no change");
        db.PlanRevisions.Add(new PlanRevision
        {
            Plan = plan, Number = number, FileName = Path.GetFileName(read.FileName), Sha256 = Sha256(bytes), Text = Encoding.UTF8.GetString(bytes),
            Summary = created ? "created" : string.Join('\n', changes), LoadedBy = who, LoadedAt = now,
        });
        await db.SaveChangesAsync(ct);
        return new PlanFileLoaded(plan.Id, plan.Code, created, number, created ? ["created"] : changes) { CountsChanged = countsChanged };
    }

    private async Task LoadPeerGroupsAsync(PlanDocument doc, List<List<Area?>> members, List<string> changes, CancellationToken ct)
    {
        if (doc.PeerGroups.Count == 0) return;
        var names = doc.PeerGroups.Select(g => g.Name).ToList();
        var groups = await db.PeerGroups.Include(g => g.Members).ToListAsync(ct);
        foreach (var (g, i) in doc.PeerGroups.Select((g, i) => (g, i)))
        {
            var group = groups.FirstOrDefault(x => string.Equals(x.Name, g.Name, StringComparison.OrdinalIgnoreCase));
            var wanted = members[i].Select(a => a!).ToList();
            if (group is null)
            {
                group = new PeerGroup { Name = g.Name, Description = g.Description, IsDefault = g.Default };
                foreach (var area in wanted) group.Members.Add(new PeerGroupMember { Area = area });
                db.PeerGroups.Add(group);
                changes.Add($"peer group {g.Name}: added");
            }
            else
            {
                var what = new List<string>();
                Set(group.Description, g.Description, v => group.Description = v, "description", what, false);
                Set(group.IsDefault, g.Default, v => group.IsDefault = v, "default", what, false);
                var ids = wanted.Select(a => a.Id).ToHashSet();
                var removed = group.Members.Where(m => !ids.Contains(m.AreaId)).ToList();
                foreach (var m in removed) group.Members.Remove(m);
                var added = wanted.Where(a => a.Id == 0 || group.Members.All(m => m.AreaId != a.Id)).ToList();
                foreach (var a in added) group.Members.Add(new PeerGroupMember { Area = a });
                if (removed.Count + added.Count > 0) what.Add("members");
                if (what.Count > 0) changes.Add($"peer group {g.Name}: {string.Join(", ", what)}");
            }
            // One default group in the portal (as the peer groups page keeps it).
            if (g.Default)
                foreach (var other in groups.Where(x => x != group && x.IsDefault)) other.IsDefault = false;
        }
    }

    /// <summary>The categories of the database by code, after checking every code the file names (one taxonomy per measure).</summary>
    private async Task<Dictionary<string, (int Id, bool PoliceUk)>> CategoriesAsync(PlanFileRead read, List<string> errors, CancellationToken ct)
    {
        var categories = (await db.CrimeCategories.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.Code, c.Id, c.Taxonomy }).ToListAsync(ct))
            .ToDictionary(c => c.Code, c => (c.Id, PoliceUk: c.Taxonomy == CrimeSources.PoliceUk));
        foreach (var (m, path) in read.MeasuresWithPaths())
        {
            var taxonomies = new HashSet<bool>();
            for (var i = 0; i < m.Categories.Count; i++)
            {
                var code = m.Categories[i];
                if (code == "*") { taxonomies.Add(false); continue; }
                if (categories.TryGetValue(code.TrimStart('+'), out var c)) taxonomies.Add(c.PoliceUk);
                else errors.Add(read.Locate($"{path}.categories[{i}]", $"there is no category '{code.TrimStart('+')}'{PlanFileReader.Suggest(code.TrimStart('+'), categories.Keys)}."));
            }
            if (taxonomies.Count > 1)
                errors.Add(read.Locate($"{path}.categories", "a measure's categories are of one taxonomy: all MPS categories or all police.uk crime types, not both."));
        }
        return categories;
    }

    /// <summary>"*" is every MPS category (police.uk's are another taxonomy); "+code" is counted but not defining (see <see cref="MeasureCategory.IsDefining"/>).</summary>
    private static Dictionary<int, bool> Expand(List<string> codes, Dictionary<string, (int Id, bool PoliceUk)> categories) =>
        codes.Contains("*")
            ? categories.Values.Where(c => !c.PoliceUk).ToDictionary(c => c.Id, _ => true)
            : codes.ToDictionary(c => categories[c.TrimStart('+')].Id, c => !c.StartsWith('+'));

    /// <summary>An area by ONS code (added when the portal does not know it yet, from the file's name), or by name.</summary>
    private Area? ResolveArea(AreaReference reference, string path, PlanFileRead read, List<Area> areas, List<string> errors)
    {
        if (reference.Code is { } code)
        {
            var byCode = areas.FirstOrDefault(a => string.Equals(a.Code, code, StringComparison.OrdinalIgnoreCase));
            if (byCode is not null) return byCode;
            if (reference.Name is not { } name)
            {
                errors.Add(read.Locate(path, $"the portal has no area with the ONS code {code}: give its name too ({{\"code\": \"{code}\", \"name\": \"…\"}}) and it is added."));
                return null;
            }
            if (areas.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)) is { } sameName)
            {
                errors.Add(read.Locate(path, $"'{name}' is already an area of the portal, with the code {sameName.Code ?? "none"}, not {code}."));
                return null;
            }
            var added = new Area { Code = code, Name = name, Kind = AreaKind.Borough, InLondonRanking = false };
            db.Areas.Add(added);
            areas.Add(added);
            return added;
        }
        var byName = areas.FirstOrDefault(a => string.Equals(a.Name, reference.Name, StringComparison.OrdinalIgnoreCase));
        if (byName is null)
            errors.Add(read.Locate(path, $"there is no area named '{reference.Name}'{PlanFileReader.Suggest(reference.Name ?? "", areas.Select(a => a.Name))}; name a new one by its ONS code and name."));
        return byName;
    }

    /// <summary>The plan in scope (the command's <c>--plan</c>, else the first plan) as it now stands, as a plan file.</summary>
    public async Task<(string Code, string Text)> ExportAsync(CancellationToken ct = default)
    {
        var plan = await db.ScopedPlan.Include(p => p.HomeArea).AsNoTracking().SingleAsync(ct);
        return (plan.Code, PlanFileWriter.Write(await DocumentAsync(plan, ct)));
    }

    private async Task<PlanDocument> DocumentAsync(Plan plan, CancellationToken ct)
    {
        var priorities = await db.Priorities.AsNoTracking().Where(p => p.PlanId == plan.Id).OrderBy(p => p.SortOrder)
            .Include(p => p.Reviews).Include(p => p.Actions).AsSplitQuery().ToListAsync(ct);
        var measures = await db.Measures.AsNoTracking().Where(m => m.PlanId == plan.Id).OrderBy(m => m.SortOrder).ThenBy(m => m.Id)
            .Include(m => m.Targets).ToListAsync(ct);
        var codeOf = measures.ToDictionary(m => m.Id, m => m.Code);
        var ids = measures.Select(m => m.Id).ToList();
        var categories = await db.CrimeCategories.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.Id, c.Code, c.Taxonomy }).ToListAsync(ct);
        var mps = categories.Where(c => c.Taxonomy == CrimeSources.Mps).Select(c => c.Id).ToHashSet();
        var categoryCode = categories.ToDictionary(c => c.Id, c => c.Code);
        var byMeasure = (await db.MeasureCategories.AsNoTracking().Where(mc => ids.Contains(mc.MeasureId)).ToListAsync(ct)).ToLookup(mc => mc.MeasureId);
        var published = (await db.Figures.AsNoTracking().Where(f => ids.Contains(f.MeasureId) && f.Source == FigureSource.Published && f.AreaId == plan.HomeAreaId)
            .ToListAsync(ct)).ToLookup(f => f.MeasureId);
        var groups = await db.PeerGroups.AsNoTracking().Where(g => g.Members.Any(m => m.AreaId == plan.HomeAreaId)).OrderBy(g => g.Id)
            .Select(g => new { g.Name, g.Description, g.IsDefault, Members = g.Members.Select(m => new { m.Area!.Code, m.Area.Name, m.AreaId }).ToList() }).ToListAsync(ct);

        MeasureDocument Measure(Measure m)
        {
            var mcs = byMeasure[m.Id].OrderBy(mc => mc.CategoryId).ToList();
            var every = mcs.Count > 0 && mcs.All(mc => mc.IsDefining) && mcs.Select(mc => mc.CategoryId).ToHashSet().SetEquals(mps);
            var codes = every ? ["*"] : mcs.Select(mc => (mc.IsDefining ? "" : "+") + categoryCode[mc.CategoryId]).ToList();
            PublishedDocument? row = null;
            var figures = published[m.Id].OrderBy(f => f.From).ToList();
            if (figures.Count == 2)
            {
                var (previous, current) = (figures[0], figures[1]);
                var toMonth = current.To.Month == plan.ReportingToMonth ? (int?)null : current.To.Month;
                row = new PublishedDocument(previous.Value, current.Value, toMonth, current.PublishedLondonRank, current.PublishedStatus ?? TargetStatus.NoTarget);
            }
            return new MeasureDocument
            {
                Code = m.Code, Name = m.Name, Description = m.Description, Unit = m.Unit, Polarity = m.Polarity, Source = m.Source, Headline = m.IsHeadline,
                RateOf = m.RateOfMeasureId is { } r ? codeOf[r] : null, ShareOf = m.ShareOfMeasureId is { } s ? codeOf[s] : null,
                Categories = codes, Published = row,
            };
        }

        return new PlanDocument
        {
            Code = plan.Code, Title = plan.Title, Partnership = plan.Partnership, Years = plan.Years,
            LocalAuthority = new AreaReference(plan.HomeArea!.Code, plan.HomeArea.Name),
            ReportingYear = plan.ReportingYear, ReportingToMonth = plan.ReportingToMonth, PublishedSource = plan.PublishedSource, Source = plan.Source,
            ExecutiveSummary = plan.ExecutiveSummary, AboutThePlan = plan.AboutThePlan,
            Priorities = priorities.Select(p => new PriorityDocument
            {
                Code = p.Code, Title = p.Title, Aim = p.Aim, Introduction = p.Introduction, Narrative = p.Narrative,
                Reviews = p.Reviews.OrderBy(r => r.SortOrder).Select(r => new ReviewDocument(r.Heading, r.Comments.Length == 0 ? [] : r.Comments.Split('\n').ToList())).ToList(),
                Measures = measures.Where(m => m.PriorityId == p.Id).Select(Measure).ToList(),
                Actions = p.Actions.OrderBy(a => a.SortOrder).ThenBy(a => a.Id).Select(a => new ActionDocument
                {
                    Theme = a.Theme, Text = a.Text, Detail = a.Detail, LeadAgency = a.LeadAgency, DueDate = a.DueDate == plan.ActionsDue ? null : a.DueDate,
                }).ToList(),
            }).ToList(),
            OtherMeasures = measures.Where(m => m.PriorityId is null).Select(Measure).ToList(),
            ActionsYear = plan.ActionsYear, ActionsDue = plan.ActionsDue,
            Targets = measures.SelectMany(m => m.Targets.OrderBy(t => t.Id).Select(t => (Order: t.Id, Target: new TargetDocument(t.Set, t.FinancialYear, m.Code, t.Form, t.Value, t.AsPrinted))))
                .OrderBy(t => t.Order).Select(t => t.Target).ToList(),
            PeerGroups = groups.Select(g => new PeerGroupDocument(g.Name, g.Description, g.IsDefault,
                g.Members.OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).Select(m => new AreaReference(m.Code, m.Name)).ToList())).ToList(),
        };
    }

    private static void Set<T>(T current, T wanted, Action<T> set, string what, List<string> changes, bool isNew)
    {
        if (EqualityComparer<T>.Default.Equals(current, wanted)) return;
        set(wanted);
        if (!isNew) changes.Add(what);
    }

    private static string Short(string text) => text.Length <= 60 ? text : text[..57] + "...";

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
