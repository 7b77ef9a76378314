namespace KcCsp.Data.Importing.PoliceUk;

/// <summary>
/// Which of police.uk's "Last outcome category" values mean that a suspect was charged or summonsed: the one list the
/// importer counts the <c>police-uk-…-charged</c> categories by (docs/police-uk.md prints it). A charge or summons is
/// what every court outcome follows from, so the list is: awaiting a court outcome, sent to the Crown Court, every court
/// result (sentences, fines, discharges, compensation, deprivation of property, "otherwise dealt with", not guilty,
/// unable to proceed, result unavailable) and a charge as part of another case. Not a charge: under investigation, no
/// suspect, unable to prosecute, not in the public interest, out-of-court disposals (cautions, penalty notices, drugs
/// warnings, local resolution), action by another organisation, status unavailable, and ASB's empty outcome.
/// A value in neither list counts as not charged and is named in the import report.
/// </summary>
public static class PoliceUkOutcomes
{
    public static readonly IReadOnlySet<string> ChargedOrSummonsed = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Awaiting court outcome",
        "Defendant sent to Crown Court",
        "Suspect charged as part of another case",
        "Offender sent to prison",
        "Offender given suspended prison sentence",
        "Offender given community sentence",
        "Offender fined",
        "Offender given conditional discharge",
        "Offender given absolute discharge",
        "Offender ordered to pay compensation",
        "Offender deprived of property",
        "Offender otherwise dealt with",
        "Defendant found not guilty",
        "Court case unable to proceed",
        "Court result unavailable",
    };

    public static readonly IReadOnlySet<string> NotCharged = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "",
        "Under investigation",
        "Investigation complete; no suspect identified",
        "Unable to prosecute suspect",
        "Formal action is not in the public interest",
        "Further investigation is not in the public interest",
        "Further action is not in the public interest",
        "Offender given a caution",
        "Offender given penalty notice",
        "Offender given a drugs possession warning",
        "Local resolution",
        "Action to be taken by another organisation",
        "Status update unavailable",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Charged =
        ((HashSet<string>)ChargedOrSummonsed).GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Other =
        ((HashSet<string>)NotCharged).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether the value means a charge or summons; <paramref name="known"/> says whether it is in either list.</summary>
    public static bool IsChargeOrSummons(ReadOnlySpan<char> outcome, out bool known)
    {
        var t = outcome.Trim();
        if (Charged.Contains(t)) { known = true; return true; }
        known = Other.Contains(t);
        return false;
    }
}
