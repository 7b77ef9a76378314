namespace KcCsp.Data.Model;

/// <summary>
/// Stamps that say which state of the data kept copies were made from. Row <see cref="Reports"/> changes whenever a save
/// changes anything a report reads; row <see cref="Sessions"/> whenever a save changes a user (signing out, locking, a
/// role or password change renew the user's security stamp). Each gets a new random <see cref="Stamp"/> in the same
/// transaction as the change (see <c>Reporting.DataVersionInterceptor</c>), so every instance of the portal sharing the
/// database knows its kept reports, or its kept pages, are out of date.
/// </summary>
public class DataVersion
{
    public const int Reports = 1;
    public const int Sessions = 2;
    public int Id { get; set; }
    public Guid Stamp { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}
