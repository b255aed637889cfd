namespace LearnApp.Data.Entities;

/// <summary>An uploaded recording, kept until <c>process_speak_audio</c> has analysed it.</summary>
public sealed class SpeakingAttempt
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public int CardId { get; set; }

    public required byte[] Audio { get; set; }

    public DateTime CreatedAt { get; set; }
}
