namespace KcCsp.Domain;

/// <summary>The portal's one notion of "today": the local calendar date of the injected clock.</summary>
public static class Today
{
    public static DateOnly Of(TimeProvider clock) => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
}
