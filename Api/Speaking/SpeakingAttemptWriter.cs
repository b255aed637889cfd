using LearnApp.Data;
using LearnApp.Data.Entities;

namespace LearnApp.Api.Speaking;

/// <summary>
/// Writes an upload and its process_speak_audio job row in one command, as <see cref="Study.ReviewWriter"/> does a
/// review (<see cref="AllOrNothingSql"/>): on PostgreSQL one round trip where SaveChanges took BEGIN, the batch and
/// COMMIT. The job's createdAt is stamped before this write, so its cost was part of every heavy task's latency.
/// </summary>
internal static class SpeakingAttemptWriter
{
    private const string Sql =
        """
        INSERT INTO "speaking_attempts" ("Id", "UserId", "CardId", "Audio", "CreatedAt") VALUES ({0}, {1}, {2}, {3}, {4});
        INSERT INTO "jobs" ("Id", "Type", "Status", "UserId", "Payload", "Attempts", "CreatedAt", "DispatchedAt", "DispatchedTo", "TraceParent")
        VALUES ({5}, {6}, {7}, {1}, {8}, 0, {9}, {10}, {11}, {12});
        """;

    public static async Task WriteAsync(LearnAppDbContext db, SpeakingAttempt attempt, Job job, CancellationToken cancellationToken)
    {
        object?[] parameters =
        [
            attempt.Id, attempt.UserId, attempt.CardId, attempt.Audio, attempt.CreatedAt,
            job.Id, job.Type, nameof(JobStatus.Queued), job.Payload, job.CreatedAt, job.DispatchedAt, job.DispatchedTo, job.TraceParent,
        ];

        await AllOrNothingSql.ExecuteAsync(db, Sql, parameters, cancellationToken);
    }
}
