namespace KcCsp.Domain;

/// <summary>The shapes a target takes in the plan; each is judged differently.</summary>
public enum TargetForm
{
    /// <summary>A % change against the previous year: −2 means "a change of −2% or better" ("Robbery −2%").</summary>
    ChangeAgainstPreviousYear,

    /// <summary>
    /// A cap on % growth: 1 means "growth of at most 1%". The plan prints these without a sign
    /// ("Most serious violence 1%").
    /// </summary>
    CeilingOnGrowth,

    /// <summary>A level of a percentage measure: 65 means 65% ("PAS Q74 … Target 65%").</summary>
    Level,

    /// <summary>A rate or count for the year: "Serious acquisitive crime rate 25.46", "First time entrants 1235".</summary>
    Absolute,
}
