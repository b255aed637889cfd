using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.Tasks;

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

    private static readonly string s_insertReviewAndJob =
        """
        INSERT INTO "reviews" ("UserId", "CardId", "Grade", "IntervalDays", "EaseFactor", "XpAwarded", "ReviewedAt")
        VALUES ({0}, {1}, {8}, {4}, {5}, {9}, {7});

        """ + JobRowSql.Insert(first: 12);

    // Yesterday's studier keeps the streak going; anyone else starts again at 1.
    private const string UpdateStreak =
        """
        UPDATE "users" SET "StreakDays" = CASE WHEN "LastStudyDay" = {11} THEN "StreakDays" + 1 ELSE 1 END, "LastStudyDay" = {10}
        WHERE "Id" = {0} AND ("LastStudyDay" IS NULL OR "LastStudyDay" <> {10});
        """;

    private static readonly string[] s_sql =
    [
        UpdateState + s_insertReviewAndJob,
        UpdateState + s_insertReviewAndJob + UpdateStreak,
        InsertState + s_insertReviewAndJob,
        InsertState + s_insertReviewAndJob + UpdateStreak,
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
            review.DueAt, review.ReviewedAt, review.Grade, review.Xp, today, today.AddDays(-1),
            .. JobRowSql.Values(job),
        ];

        await AllOrNothingSql.ExecuteAsync(db, sql, parameters, cancellationToken);
    }
}

/// <summary>One graded card, computed and ready to store.</summary>
internal sealed record ReviewWrite(
    Guid UserId, int CardId, int DeckId, bool FirstReview, Sm2State Next, int Grade, int Xp,
    DateTime ReviewedAt, DateTime DueAt, DateOnly? LastStudyDay);
