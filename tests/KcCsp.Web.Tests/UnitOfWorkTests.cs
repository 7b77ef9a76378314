using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using KcCsp.Data;
using KcCsp.Data.Model;
using KcCsp.Data.People;
using KcCsp.Data.Planning;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace KcCsp.Web.Tests;

/// <summary>
/// The unit of work: a change made through a use case and its audit entry are written in one transaction, and stand or
/// fall together. Checked in the database, not on the audit page.
/// </summary>
public sealed class UnitOfWorkTests : IAsyncDisposable
{
    private readonly PortalFactory factory = new();

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> run)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await run(scope.ServiceProvider);
    }

    private Task<T> WithDbAsync<T>(Func<KcCspDbContext, Task<T>> read) => InScopeAsync(sp => read(sp.GetRequiredService<KcCspDbContext>()));

    private Task<int> ExecuteAsync(string sql) => WithDbAsync(db => db.Database.ExecuteSqlRawAsync(sql));

    private Task<long> LastAuditIdAsync() => WithDbAsync(async db => await db.AuditEntries.MaxAsync(a => (long?)a.Id) ?? 0);

    private Task<List<AuditEntry>> AuditSinceAsync(long id) => WithDbAsync(db => db.AuditEntries.Where(a => a.Id > id).OrderBy(a => a.Id).ToListAsync());

    private static TargetInput Edit(Target t, decimal value) => new()
    {
        Measure = t.Measure!.Code, FinancialYear = t.FinancialYear.ToString(), Form = t.Form, Value = value, AsPrinted = t.AsPrinted, Set = t.Set,
    };

    [Fact]
    public async Task A_change_through_a_service_writes_exactly_its_audit_entry_in_the_same_transaction()
    {
        var target = await WithDbAsync(db => db.Targets.AsNoTracking().Include(t => t.Measure).OrderBy(t => t.Id).FirstAsync());
        var lastAudit = await LastAuditIdAsync();

        var commands = await InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KcCspDbContext>();
            using var watch = new CommandWatch(db);
            var result = await sp.GetRequiredService<PlanSettingsService>().SaveTargetAsync(target.Id, Edit(target, target.Value + 7), "tester@kccsp.local");
            result.Outcome.Should().Be(Outcome.Done);
            return watch.Commands;
        });

        var entry = (await AuditSinceAsync(lastAudit)).Should().ContainSingle().Which;
        entry.Should().BeEquivalentTo(new { User = "tester@kccsp.local", Action = "updated", Entity = "Target", Key = target.Id.ToString() });
        JsonDocument.Parse(entry.Before!).RootElement.GetProperty("value").GetDecimal().Should().Be(target.Value);
        JsonDocument.Parse(entry.After!).RootElement.GetProperty("value").GetDecimal().Should().Be(target.Value + 7);
        JsonDocument.Parse(entry.After!).RootElement.GetProperty("measure").GetString().Should().Be(target.Measure!.Code);
        (await WithDbAsync(db => db.Targets.Where(t => t.Id == target.Id).Select(t => t.Value).SingleAsync())).Should().Be(target.Value + 7);

        // The change and its entry went to the database in one transaction.
        var update = commands.Should().ContainSingle(c => c.Sql.Contains("UPDATE \"Targets\"")).Which;
        var insert = commands.Should().ContainSingle(c => c.Sql.Contains("INSERT INTO \"AuditEntries\"")).Which;
        update.Transaction.Should().NotBeNull();
        insert.Transaction.Should().BeSameAs(update.Transaction);
    }

    [Fact]
    public async Task When_the_audit_entry_cannot_be_written_the_change_is_not_saved_either()
    {
        var target = await WithDbAsync(db => db.Targets.AsNoTracking().Include(t => t.Measure).OrderBy(t => t.Id).FirstAsync());
        var lastAudit = await LastAuditIdAsync();
        await ExecuteAsync("CREATE TRIGGER refuse_audit BEFORE INSERT ON AuditEntries BEGIN SELECT RAISE(ABORT, 'audit refused'); END;");

        var save = () => InScopeAsync(sp => sp.GetRequiredService<PlanSettingsService>().SaveTargetAsync(target.Id, Edit(target, target.Value + 7), "tester@kccsp.local"));
        await save.Should().ThrowAsync<DbUpdateException>().WithInnerExceptionExactly<DbUpdateException, Microsoft.Data.Sqlite.SqliteException>()
            .Where(e => e.Message.Contains("audit refused"));

        await ExecuteAsync("DROP TRIGGER refuse_audit;");
        (await WithDbAsync(db => db.Targets.Where(t => t.Id == target.Id).Select(t => t.Value).SingleAsync())).Should().Be(target.Value);
        (await AuditSinceAsync(lastAudit)).Should().BeEmpty();
    }

    [Fact]
    public async Task When_the_change_cannot_be_saved_no_audit_entry_is_written()
    {
        var lastAudit = await LastAuditIdAsync();
        var figures = await WithDbAsync(db => db.Figures.CountAsync());
        await ExecuteAsync("CREATE TRIGGER refuse_figure BEFORE INSERT ON Figures BEGIN SELECT RAISE(ABORT, 'figure refused'); END;");

        var form = new FigureForm { Measure = "domestic-violence", Area = "Kensington and Chelsea", From = "2010-04", To = "2010-06", Value = 12, SourceNote = "test" };
        var save = () => InScopeAsync(sp => sp.GetRequiredService<ManualFigureService>().SaveAsync(null, form, "tester@kccsp.local"));
        await save.Should().ThrowAsync<DbUpdateException>();

        await ExecuteAsync("DROP TRIGGER refuse_figure;");
        (await WithDbAsync(db => db.Figures.CountAsync())).Should().Be(figures);
        (await AuditSinceAsync(lastAudit)).Should().BeEmpty();
    }

    [Fact]
    public async Task An_operation_entry_is_written_with_its_change_and_dropped_with_it()
    {
        var lastAudit = await LastAuditIdAsync();
        var measure = await WithDbAsync(db => db.Measures.AsNoTracking().OrderBy(m => m.Id).FirstAsync());

        // Fails after the change and its entry were made: neither reaches the database.
        var failing = () => InScopeAsync(sp =>
        {
            var db = sp.GetRequiredService<KcCspDbContext>();
            var unit = sp.GetRequiredService<UnitOfWork>();
            return unit.RunAsync<bool>("tester@kccsp.local", async ct =>
            {
                (await db.Measures.SingleAsync(m => m.Id == measure.Id, ct)).Name = "Renamed";
                unit.Record("checked", "Measure", measure.Id.ToString(), null, new { Checked = true });
                await db.SaveChangesAsync(ct);
                throw new InvalidOperationException("something went wrong after the save");
            });
        });
        await failing.Should().ThrowAsync<InvalidOperationException>().WithMessage("something went wrong*");
        (await WithDbAsync(db => db.Measures.Where(m => m.Id == measure.Id).Select(m => m.Name).SingleAsync())).Should().Be(measure.Name);
        (await AuditSinceAsync(lastAudit)).Should().BeEmpty();

        // A refused change (a Result other than done) saves nothing either.
        var refused = await InScopeAsync(sp =>
        {
            var db = sp.GetRequiredService<KcCspDbContext>();
            return sp.GetRequiredService<UnitOfWork>().RunAsync("tester@kccsp.local", async ct =>
            {
                (await db.Measures.SingleAsync(m => m.Id == measure.Id, ct)).Name = "Renamed";
                return Result.Invalid("no");
            });
        });
        refused.Outcome.Should().Be(Outcome.Invalid);
        (await WithDbAsync(db => db.Measures.Where(m => m.Id == measure.Id).Select(m => m.Name).SingleAsync())).Should().Be(measure.Name);
        (await AuditSinceAsync(lastAudit)).Should().BeEmpty();

        // Done: the record's own entry and the operation's, by the same actor.
        await InScopeAsync(sp =>
        {
            var db = sp.GetRequiredService<KcCspDbContext>();
            var unit = sp.GetRequiredService<UnitOfWork>();
            return unit.RunAsync("tester@kccsp.local", async ct =>
            {
                (await db.Measures.SingleAsync(m => m.Id == measure.Id, ct)).Name = "Renamed";
                unit.Record("checked", "Measure", measure.Id.ToString(), null, new { Checked = true });
                return true;
            });
        });
        (await AuditSinceAsync(lastAudit)).Select(a => (a.User, a.Action, a.Entity, a.Key)).Should().Equal(
            ("tester@kccsp.local", "updated", "Measure", measure.Id.ToString()),
            ("tester@kccsp.local", "checked", "Measure", measure.Id.ToString()));
    }

    [Fact]
    public async Task Saves_outside_a_unit_of_work_are_not_audited_and_entries_are_recorded_only_inside_one()
    {
        var lastAudit = await LastAuditIdAsync();
        await InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KcCspDbContext>();
            (await db.Measures.OrderBy(m => m.Id).FirstAsync()).Description = "changed by a plain save";
            await db.SaveChangesAsync();
            var record = () => sp.GetRequiredService<UnitOfWork>().Record("checked", "Measure", "1", null, null);
            record.Should().Throw<InvalidOperationException>().WithMessage("*inside UnitOfWork.RunAsync*");
            return true;
        });
        (await AuditSinceAsync(lastAudit)).Should().BeEmpty();
    }

    /// <summary>The SQL commands one context sends, with the transaction each ran in.</summary>
    private sealed class CommandWatch : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly DbContext context;
        private readonly List<IDisposable> subscriptions = [];
        private readonly Lock gate = new();

        public List<(string Sql, DbTransaction? Transaction)> Commands { get; } = [];

        public CommandWatch(DbContext context)
        {
            this.context = context;
            subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name) lock (gate) subscriptions.Add(listener.Subscribe(this));
        }

        public void OnNext(KeyValuePair<string, object?> e)
        {
            if (e.Key == RelationalEventId.CommandExecuted.Name && e.Value is CommandExecutedEventData data && ReferenceEquals(data.Context, context))
                lock (gate) Commands.Add((data.Command.CommandText, data.Command.Transaction));
        }

        public void OnCompleted() { }

        public void OnError(Exception error) { }

        public void Dispose()
        {
            lock (gate) foreach (var s in subscriptions) s.Dispose();
        }
    }
}
