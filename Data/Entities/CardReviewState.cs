namespace LearnApp.Data.Entities;

/// <summary>One user's SM-2 state for one card. A card without a row has never been reviewed and is due.</summary>
public sealed class CardReviewState
{
    public Guid UserId { get; set; }

    public int CardId { get; set; }

    public int DeckId { get; set; }

    public int Repetitions { get; set; }

    public int IntervalDays { get; set; }

    public double EaseFactor { get; set; }

    public DateTime DueAt { get; set; }

    public DateTime LastReviewedAt { get; set; }
}
