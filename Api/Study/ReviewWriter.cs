using LearnApp.Data;
using LearnApp.Data.Entities;

namespace LearnApp.Api.Study;

/// <summary>
/// Writes a review in one command: the SM-2 state, the review row, the award_xp job row (the outbox) and, on the
/// first review of the day, the streak. It replaces change tracking and SaveChanges, whose per-statement work was
/// most of the Api's CPU per review, and an explicit BEGIN/COMMIT pair (see <see cref="AllOrNothingSql"/>).
/// Both providers run the same SQL text (double-quoted names, no provider syntax).
/// </summary>
internal static class ReviewWriter
{
    private const string InsertState =
        """
        INSERT INTO "card_review_states" ("UserId", "CardId", "DeckId", "Repetitions", "IntervalDays", "EaseFactor", "DueAt", "LastReviewedAt")
        VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7});
        """;

    private const string UpdateState =
        """
        UPDATE "card_review_states" SET "Repetitions" = {3}, "IntervalDays" = {4}, "EaseFactor" = {5}, "DueAt" = {6}, "LastReviewedAt" = {7}
        WHERE "UserId" = {0} AND "CardId" = {1};
        """;

    private const string InsertReviewAndJob =
        """
        INSERT INTO "reviews" ("UserId", "CardId", "Grade", "IntervalDays", "EaseFactor", "XpAwarded", "ReviewedAt")
        VALUES ({0}, {1}, {8}, {4}, {5}, {9}, {7});
        INSERT INTO "jobs" ("Id", "Type", "Status", "UserId", "Payload", "Attempts", "CreatedAt", "DispatchedAt", "DispatchedTo", "TraceParent")
        VALUES ({10}, {11}, {12}, {0}, {13}, 0, {14}, {15}, {16}, {17});
        """;

    // Yesterday's studier keeps the streak going; anyone else starts again at 1.
    private const string UpdateStreak =
        """
        UPDATE "users" SET "StreakDays" = CASE WHEN "LastStudyDay" = {19} THEN "StreakDays" + 1 ELSE 1 END, "LastStudyDay" = {18}
        WHERE "Id" = {0} AND ("LastStudyDay" IS NULL OR "LastStudyDay" <> {18});
        """;

    private static readonly string[] s_sql =
    [
        UpdateState + InsertReviewAndJob,
        UpdateState + InsertReviewAndJob + UpdateStreak,
        InsertState + InsertReviewAndJob,
        InsertState + InsertReviewAndJob + UpdateStreak,
    ];

    /// <summary>
    /// Commits the review; a first review that loses a race with another one for the same card throws a unique
    /// violation (see <see cref="DbErrors.IsUniqueViolation"/>) and writes nothing.
    /// </summary>
    public static async Task WriteAsync(LearnAppDbContext db, ReviewWrite review, Job job, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(review.ReviewedAt);
        var sql = s_sql[(review.FirstReview ? 2 : 0) + (review.LastStudyDay == today ? 0 : 1)];
        object?[] parameters =
        [
            review.UserId, review.CardId, review.DeckId, review.Next.Repetitions, review.Next.IntervalDays, review.Next.EaseFactor,
            review.DueAt, review.ReviewedAt, review.Grade, review.Xp,
            job.Id, job.Type, nameof(JobStatus.Queued), job.Payload, job.CreatedAt, job.DispatchedAt, job.DispatchedTo, job.TraceParent,
            today, today.AddDays(-1),
        ];

        await AllOrNothingSql.ExecuteAsync(db, sql, parameters, cancellationToken);
    }
}

/// <summary>One graded card, computed and ready to store.</summary>
internal sealed record ReviewWrite(
    Guid UserId, int CardId, int DeckId, bool FirstReview, Sm2State Next, int Grade, int Xp,
    DateTime ReviewedAt, DateTime DueAt, DateOnly? LastStudyDay);
