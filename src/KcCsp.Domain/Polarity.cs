namespace KcCsp.Domain;

/// <summary>Which way is good for a measure: fewer burglaries, or more residents who feel safe.</summary>
public enum Polarity
{
    LowerIsBetter,
    HigherIsBetter,
}
