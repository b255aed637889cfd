namespace LearnApp.Data.Entities;

public sealed class User
{
    public Guid Id { get; set; }

    public required string Email { get; set; }

    /// <summary>Upper-cased email, unique: logins are case-insensitive on every provider.</summary>
    public required string NormalizedEmail { get; set; }

    public required string DisplayName { get; set; }

    public required string PasswordHash { get; set; }

    public int Xp { get; set; }

    public int StreakDays { get; set; }

    /// <summary>The UTC day of the last review, for the streak.</summary>
    public DateOnly? LastStudyDay { get; set; }

    public DateTime CreatedAt { get; set; }
}
