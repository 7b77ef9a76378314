namespace KcCsp.Data.Model;

/// <summary>
/// A personal access token for the JSON API (Power BI, scripts). Only its SHA-256 hash is stored; the token itself is
/// shown once, when it is created. A token acts as its user, with the user's role, until it expires or is revoked.
/// </summary>
public class ApiToken
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public PortalUser? User { get; set; }
    /// <summary>What it is for, e.g. "Power BI board dashboard".</summary>
    public required string Name { get; set; }
    /// <summary>The first characters of the token, so its owner can tell tokens apart.</summary>
    public required string Prefix { get; set; }
    public required string Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
