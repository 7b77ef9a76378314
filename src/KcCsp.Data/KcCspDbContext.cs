using KcCsp.Data.Model;
using KcCsp.Data.People;
using KcCsp.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KcCsp.Data;

public class KcCspDbContext(DbContextOptions<KcCspDbContext> options) : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    /// <summary>
    /// ASP.NET Core data-protection keys (sign-in cookies, anti-forgery tokens): in the database, so that restarts and
    /// every instance of the portal share them.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Plan> Plans => Set<Plan>();
    public DbSet<PlanMembership> PlanMemberships => Set<PlanMembership>();
    public DbSet<PlanRevision> PlanRevisions => Set<PlanRevision>();
    public DbSet<Priority> Priorities => Set<Priority>();
    public DbSet<PriorityReview> PriorityReviews => Set<PriorityReview>();
    public DbSet<Measure> Measures => Set<Measure>();
    public DbSet<Target> Targets => Set<Target>();
    public DbSet<Area> Areas => Set<Area>();
    public DbSet<Population> Populations => Set<Population>();
    public DbSet<PeerGroup> PeerGroups => Set<PeerGroup>();
    public DbSet<PeerGroupMember> PeerGroupMembers => Set<PeerGroupMember>();
    public DbSet<Figure> Figures => Set<Figure>();
    public DbSet<PlanAction> Actions => Set<PlanAction>();
    public DbSet<ActionUpdate> ActionUpdates => Set<ActionUpdate>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<DataVersion> DataVersions => Set<DataVersion>();
    public DbSet<AnalysisPublication> AnalysisPublications => Set<AnalysisPublication>();

    /// <summary>The audit entries of the <see cref="UnitOfWork"/> running on this context, if one is.</summary>
    internal AuditSession? Audit { get; set; }

    // The audit trail is append-only: refuse any save that would change or remove one of its rows.
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAuditTrail();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAuditTrail();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void GuardAuditTrail()
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
            throw new AuditTrailIsAppendOnlyException();
    }
    public DbSet<CrimeCategory> CrimeCategories => Set<CrimeCategory>();
    public DbSet<CategoryAlias> CategoryAliases => Set<CategoryAlias>();
    public DbSet<MeasureCategory> MeasureCategories => Set<MeasureCategory>();
    public DbSet<CrimeImport> CrimeImports => Set<CrimeImport>();
    public DbSet<CrimeCount> CrimeCounts => Set<CrimeCount>();
    public DbSet<ImportAlias> ImportAliases => Set<ImportAlias>();
    public DbSet<ImportCoverage> ImportCoverages => Set<ImportCoverage>();
    public DbSet<MeasureMonthValue> MeasureMonthValues => Set<MeasureMonthValue>();
    public DbSet<SmallArea> SmallAreas => Set<SmallArea>();
    public DbSet<SmallAreaPopulation> SmallAreaPopulations => Set<SmallAreaPopulation>();
    public DbSet<LsoaLookup> LsoaLookups => Set<LsoaLookup>();
    public DbSet<ImportSourceState> ImportSourceStates => Set<ImportSourceState>();
    public DbSet<NightlyImportRun> NightlyImportRuns => Set<NightlyImportRun>();

    /// <summary>
    /// The partnership's plan this unit of work is scoped to (a request's chosen plan, the CLI's <c>--plan</c>, a report
    /// build's key): measures, priorities, actions and their updates, figures, targets and published analyses of other
    /// plans are invisible to every query (global query filters), so no use case can read or change another
    /// partnership's records by id or code. Null: not scoped (the importer, which recomputes every plan's measures, and
    /// seeding); <see cref="ScopedPlan"/> is then the first plan.
    /// </summary>
    public int? PlanScopeId { get; private set; }

    /// <summary>Scopes every later query of this context to one plan (see <see cref="PlanScopeId"/>).</summary>
    public void ScopeToPlan(int planId) => PlanScopeId = planId;

    /// <summary>The plan in scope, or the first plan when none is chosen: a query of one row.</summary>
    public IQueryable<Plan> ScopedPlan => PlanScopeId is { } id ? Plans.Where(p => p.Id == id) : Plans.OrderBy(p => p.Id).Take(1);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Months and financial years are stored as plain integers (200904, 2009) so every provider can index and compare them.
        configurationBuilder.Properties<YearMonth>().HaveConversion<YearMonthConverter>();
        configurationBuilder.Properties<FinancialYear>().HaveConversion<FinancialYearConverter>();
        configurationBuilder.Properties<decimal>().HavePrecision(18, 4);
        // Enums as their names: readable in the database and safe against reordering.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(KcCspDbContext).Assembly);
        builder.Entity<DataVersion>().Property(v => v.Id).ValueGeneratedNever();
        // One plan's records at a time, when a plan is chosen (see PlanScopeId).
        builder.Entity<Measure>().HasQueryFilter(m => PlanScopeId == null || m.PlanId == PlanScopeId);
        builder.Entity<Priority>().HasQueryFilter(p => PlanScopeId == null || p.PlanId == PlanScopeId);
        builder.Entity<PriorityReview>().HasQueryFilter(r => PlanScopeId == null || r.Priority!.PlanId == PlanScopeId);
        builder.Entity<PlanAction>().HasQueryFilter(a => PlanScopeId == null || a.Priority!.PlanId == PlanScopeId);
        builder.Entity<ActionUpdate>().HasQueryFilter(u => PlanScopeId == null || u.Action!.Priority!.PlanId == PlanScopeId);
        builder.Entity<Figure>().HasQueryFilter(f => PlanScopeId == null || f.Measure!.PlanId == PlanScopeId);
        builder.Entity<Target>().HasQueryFilter(t => PlanScopeId == null || t.Measure!.PlanId == PlanScopeId);
        builder.Entity<MeasureCategory>().HasQueryFilter(c => PlanScopeId == null || c.Measure!.PlanId == PlanScopeId);
        builder.Entity<AnalysisPublication>().HasQueryFilter(p => PlanScopeId == null || p.Priority!.PlanId == PlanScopeId);
        // The one row exists from the start: stamps are UPDATEs, never a race to INSERT it.
        builder.Entity<DataVersion>().HasData(new DataVersion { Id = DataVersion.SingletonId, Stamp = Guid.Empty, ChangedAt = DateTimeOffset.UnixEpoch });
    }

    private sealed class YearMonthConverter() : ValueConverter<YearMonth, int>(v => v.ToYyyyMm(), v => YearMonth.FromYyyyMm(v));
    private sealed class FinancialYearConverter() : ValueConverter<FinancialYear, int>(v => v.StartYear, v => new FinancialYear(v));
}
