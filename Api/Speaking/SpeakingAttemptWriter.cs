using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.Tasks;

namespace LearnApp.Api.Speaking;

/// <summary>
/// Writes an upload and its process_speak_audio job row in one command, as <see cref="Study.ReviewWriter"/> does a
/// review (<see cref="AllOrNothingSql"/>): on PostgreSQL one round trip where SaveChanges took BEGIN, the batch and
/// COMMIT. The job's createdAt is stamped before this write, so its cost was part of every heavy task's latency.
/// </summary>
internal static class SpeakingAttemptWriter
{
    private static readonly string s_sql =
        """
        INSERT INTO "speaking_attempts" ("Id", "UserId", "CardId", "Audio", "CreatedAt") VALUES ({0}, {1}, {2}, {3}, {4});

        """ + JobRowSql.Insert(first: 5);

    public static async Task WriteAsync(LearnAppDbContext db, SpeakingAttempt attempt, Job job, CancellationToken cancellationToken)
    {
        object?[] parameters = [attempt.Id, attempt.UserId, attempt.CardId, attempt.Audio, attempt.CreatedAt, .. JobRowSql.Values(job)];

        await AllOrNothingSql.ExecuteAsync(db, s_sql, parameters, cancellationToken);
    }
}
