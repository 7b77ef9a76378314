using System.Text;

namespace KcCsp.Data.Model;

/// <summary>Borough names are spelt many ways in real extracts ("Kensington & Chelsea", "KENSINGTON AND CHELSEA").</summary>
public static class AreaNames
{
    /// <summary>A comparison key: lower case, "&amp;" read as "and", runs of spaces and punctuation collapsed.</summary>
    public static string Key(string name)
    {
        var sb = new StringBuilder(name.Length);
        var pendingSpace = false;
        foreach (var raw in name.Trim())
        {
            if (raw == '&')
            {
                pendingSpace = sb.Length > 0;
                sb.Append(pendingSpace ? " and" : "and");
                pendingSpace = true;
                continue;
            }
            if (char.IsLetterOrDigit(raw))
            {
                if (pendingSpace && sb.Length > 0) sb.Append(' ');
                pendingSpace = false;
                sb.Append(char.ToLowerInvariant(raw));
            }
            else
            {
                pendingSpace = true;
            }
        }
        return sb.ToString();
    }
}
