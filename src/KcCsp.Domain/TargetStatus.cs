namespace KcCsp.Domain;

/// <summary>The board's status words. Met / not met once a period is complete; on / off track in year.</summary>
public enum TargetStatus
{
    Met,
    NotMet,
    OnTrack,
    OffTrack,
    NoTarget,
}

/// <summary>
/// Words and icons for a status. Screens show both, because colour (or an icon) alone fails
/// accessibility rules.
/// </summary>
public static class TargetStatusText
{
    public static string Word(TargetStatus status) => status switch
    {
        TargetStatus.Met => "met",
        TargetStatus.NotMet => "not met",
        TargetStatus.OnTrack => "on track",
        TargetStatus.OffTrack => "off track",
        TargetStatus.NoTarget => "no target",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown target status."),
    };

    public static string Icon(TargetStatus status) => status switch
    {
        TargetStatus.Met => "✓",
        TargetStatus.NotMet => "×",
        TargetStatus.OnTrack => "↗",
        TargetStatus.OffTrack => "↘",
        TargetStatus.NoTarget => "–",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown target status."),
    };

    /// <summary>
    /// Reads a status word back, as typed by people or printed in the plan: "met", "Not met",
    /// "on-track", and the plan's "✓", "×", "None", "N/A", "-".
    /// </summary>
    public static TargetStatus ParseWord(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (TryParseWord(word, out var status))
            return status;
        throw new FormatException($"'{word}' is not a target status: expected met, not met, on track, off track or no target.");
    }

    public static bool TryParseWord(string? word, out TargetStatus status)
    {
        status = TargetStatus.NoTarget;
        if (word is null)
            return false;
        var normal = string.Join(' ', word.Trim().ToLowerInvariant()
            .Replace('-', ' ').Replace('_', ' ')
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
        TargetStatus? found = normal switch
        {
            "met" or "✓" or "✔" or "yes" => TargetStatus.Met,
            "not met" or "notmet" or "×" or "x" or "✗" or "no" => TargetStatus.NotMet,
            "on track" or "ontrack" or "↗" => TargetStatus.OnTrack,
            "off track" or "offtrack" or "↘" => TargetStatus.OffTrack,
            "no target" or "notarget" or "none" or "n/a" or "na" or "–" or "—" => TargetStatus.NoTarget,
            _ => null,
        };
        // A lone hyphen is the plan's "no target" mark; it was turned into a space above.
        if (found is null && word.Trim() == "-")
            found = TargetStatus.NoTarget;
        if (found is not { } value)
            return false;
        status = value;
        return true;
    }
}
