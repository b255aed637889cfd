using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.Tasks.Execution;
using LearnApp.Tasks.Speaking;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Tasks.Handlers;

public sealed record ProcessSpeakAudioPayload(Guid AttemptId);

/// <summary>Analyses a speaking attempt and awards XP for it, in the job's transaction.</summary>
public sealed class ProcessSpeakAudioHandler : ITaskHandler
{
    /// <summary>XP for an attempt with real voicing in it, and for one without.</summary>
    public const int VoicedXp = 15;
    public const int UnvoicedXp = 2;
    private const double VoicedEnough = 0.2;

    public bool EffectOnly => true;

    /// <summary>The attempt, read with the claim when the queue entry names the job's payload.</summary>
    public static TaskPrefetch AttemptPrefetch { get; } = new(
        payload => TaskPayload.TryRead<ProcessSpeakAudioPayload>(payload) is { } read
            ? new PrefetchQuery("""SELECT "Id", "UserId", "CardId", "Audio", "CreatedAt" FROM "speaking_attempts" WHERE "Id" = {0}""", [read.AttemptId])
            : null,
        row => new SpeakingAttempt
        {
            Id = row.GetGuid(0),
            UserId = row.GetGuid(1),
            CardId = row.GetInt32(2),
            Audio = row.GetFieldValue<byte[]>(3),
            CreatedAt = row.GetDateTime(4),
        });

    public TaskPrefetch Prefetch => AttemptPrefetch;

    public string TaskType => TaskNames.ProcessSpeakAudio;

    public async Task<object?> ExecuteAsync(TaskExecution execution, CancellationToken cancellationToken)
    {
        var payload = TaskPayload.Read<ProcessSpeakAudioPayload>(execution.Job);
        var attempt = execution.Prefetched as SpeakingAttempt
            ?? await ReadAttemptAsync(execution.Db, payload.AttemptId, cancellationToken)
            ?? throw new PermanentTaskException($"Speaking attempt {payload.AttemptId} does not exist.");
        if (!WavFile.TryRead(attempt.Audio, out var wav, out var error))
        {
            throw new PermanentTaskException(error!);
        }

        var analysis = SpeechAnalyzer.Analyze(wav!);
        var xp = analysis.VoicedFrameRatio >= VoicedEnough ? VoicedXp : UnvoicedXp;
        // As in AwardXpHandler: raw SQL, sent with the job's completion (an uncompiled ExecuteUpdate cost more).
        execution.CompleteWith($"UPDATE \"users\" SET \"Xp\" = \"Xp\" + {xp} WHERE \"Id\" = {attempt.UserId}",
            $"User {attempt.UserId} of speaking attempt {attempt.Id} does not exist.");
        return new SpeakingResult(attempt.Id, attempt.CardId, analysis, xp);
    }

    // Compiled, as the study queries are: per job EF then skips building the expression tree and its cache lookup.
    private static readonly CompiledPerModel<Func<LearnAppDbContext, Guid, CancellationToken, Task<SpeakingAttempt?>>> s_attempt = new(() =>
        EF.CompileAsyncQuery((LearnAppDbContext db, Guid attemptId, CancellationToken _) =>
            db.SpeakingAttempts.AsNoTracking().SingleOrDefault(a => a.Id == attemptId)));

    private static Task<SpeakingAttempt?> ReadAttemptAsync(LearnAppDbContext db, Guid attemptId, CancellationToken cancellationToken) =>
        s_attempt.For(db)(db, attemptId, cancellationToken);
}

public sealed record SpeakingResult(Guid AttemptId, int CardId, SpeechAnalysis Analysis, int XpAwarded);
