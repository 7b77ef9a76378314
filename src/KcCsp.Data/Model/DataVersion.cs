namespace KcCsp.Data.Model;

/// <summary>
/// The one row that says which state of the figures every report was computed from. Any save that changes what a
/// report reads gives it a new <see cref="Stamp"/> in the same transaction (see <c>Reporting.DataVersionInterceptor</c>),
/// so every instance of the portal sharing the database knows its kept reports are out of date.
/// </summary>
public class DataVersion
{
    public const int SingletonId = 1;
    public int Id { get; set; }
    public Guid Stamp { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}
