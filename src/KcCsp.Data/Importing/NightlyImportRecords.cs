using KcCsp.Data.Model;
using Microsoft.EntityFrameworkCore;

namespace KcCsp.Data.Importing;

/// <summary>
/// What the nightly import keeps in the database: each download address's state (ETag, Last-Modified, last content's
/// hash, last outcome) and one row per run. The job itself (schedule, inbox, download) lives in the web host.
/// </summary>
public sealed class NightlyImportRecords(KcCspDbContext db)
{
    /// <summary>The state of the address as shown (credentials never reach the database); a new one when first seen.</summary>
    public async Task<ImportSourceState> SourceStateAsync(string shownUrl, CancellationToken ct)
    {
        var state = await db.ImportSourceStates.AsNoTracking().SingleOrDefaultAsync(s => s.Url == shownUrl, ct);
        return state ?? new ImportSourceState { Url = shownUrl };
    }

    /// <summary>Saves the state after a check, whether the importer ran in between or not.</summary>
    public async Task SaveSourceStateAsync(ImportSourceState state, CancellationToken ct)
    {
        if (state.Id == 0) db.ImportSourceStates.Add(state);
        else db.ImportSourceStates.Update(state);
        await db.SaveChangesAsync(ct);
        db.Entry(state).State = EntityState.Detached;
    }

    public async Task<NightlyImportRun> RecordRunAsync(NightlyImportRun run, CancellationToken ct)
    {
        db.NightlyImportRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return run;
    }
}
