namespace KcCsp.Data.Model;

/// <summary>
/// A named group of boroughs a partnership compares itself with, as iQuanta's "most similar group" did.
/// Analysts keep them; "Inner London" is seeded and is the default.
/// </summary>
public class PeerGroup
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    /// <summary>The group a borough's position is shown in when nobody chooses another (one group at most).</summary>
    public bool IsDefault { get; set; }
    public List<PeerGroupMember> Members { get; set; } = [];
}

public class PeerGroupMember
{
    public int PeerGroupId { get; set; }
    public PeerGroup? PeerGroup { get; set; }
    public int AreaId { get; set; }
    public Area? Area { get; set; }
}
