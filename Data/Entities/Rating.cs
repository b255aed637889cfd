namespace LearnApp.Data.Entities;

/// <summary>A user's rating as of the latest <c>calculate_all_ratings</c> run.</summary>
public sealed class Rating
{
    public Guid UserId { get; set; }

    public double Score { get; set; }

    public int Xp { get; set; }

    public DateTime CalculatedAt { get; set; }
}
