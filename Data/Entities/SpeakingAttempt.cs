namespace LearnApp.Data.Entities;

/// <summary>An uploaded recording for <c>process_speak_audio</c>; deleted with its job once the job's retention has passed.</summary>
public sealed class SpeakingAttempt
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public int CardId { get; set; }

    public required byte[] Audio { get; set; }

    public DateTime CreatedAt { get; set; }
}
