using System.Text.RegularExpressions;

namespace KcCsp.Web.Features.Downloads;

/// <summary>
/// Text that a spreadsheet could take for a formula ("formula injection", OWASP's CSV injection): anything that
/// begins with =, +, -, @, a tab or a carriage return. Such text is written so that it stays text.
/// </summary>
public static partial class SpreadsheetText
{
    public static bool LooksLikeFormula(string? text) =>
        !string.IsNullOrEmpty(text) && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>
    /// A text cell for CSV: formula-like text gets a leading single quote, as OWASP recommends. A plain signed number
    /// such as "-1.2%" or "+14.4" is left alone: spreadsheets read it as a number, never as a formula.
    /// </summary>
    public static string ForCsv(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        return LooksLikeFormula(text) && !PlainNumber().IsMatch(text) ? "'" + text : text;
    }

    [GeneratedRegex(@"^[+-]?[0-9]+(\.[0-9]+)?%?$")]
    private static partial Regex PlainNumber();
}
