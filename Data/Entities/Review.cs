namespace LearnApp.Data.Entities;

public sealed class Review
{
    public long Id { get; set; }

    public Guid UserId { get; set; }

    public int CardId { get; set; }

    public int Grade { get; set; }

    public int IntervalDays { get; set; }

    public double EaseFactor { get; set; }

    public int XpAwarded { get; set; }

    public DateTime ReviewedAt { get; set; }
}
