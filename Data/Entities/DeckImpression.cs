namespace LearnApp.Data.Entities;

/// <summary>How often a deck was shown, folded in from the Redis counters by <c>sync_impressions_from_redis</c>.</summary>
public sealed class DeckImpression
{
    public int DeckId { get; set; }

    public long Count { get; set; }

    public DateTime UpdatedAt { get; set; }
}
