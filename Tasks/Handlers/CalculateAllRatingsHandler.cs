using LearnApp.Tasks.Execution;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Tasks.Handlers;

/// <summary>
/// Recomputes every learner's rating: XP, plus 20 points per successful review (grade 3+) in the last 30 days,
/// plus 15 per streak day, so steady recent practice counts more than old XP. Replaces the table in one go.
/// </summary>
/// <remarks>
/// Set-based, in the job's transaction: the database joins and aggregates, so no learner row crosses the wire and
/// the cost does not grow with the process's memory. Raw SQL because EF has no INSERT … SELECT; both providers take
/// it as written, and EF binds the timestamps as each provider stores them. Nothing here loads EF's LINQ or update
/// pipelines, which the worker otherwise paid for on its first periodic job (~10 MB of its idle PSS, measured).
/// </remarks>
public sealed class CalculateAllRatingsHandler : ITaskHandler
{
    public const int PointsPerRecentSuccess = 20;
    public const int PointsPerStreakDay = 15;
    public static readonly TimeSpan RecentWindow = TimeSpan.FromDays(30);

    public string TaskType => TaskNames.CalculateAllRatings;

    public async Task<object?> ExecuteAsync(TaskExecution execution, CancellationToken cancellationToken)
    {
        var database = execution.Db.Database;
        var now = DateTime.UtcNow;
        var since = now - RecentWindow;
        await database.ExecuteSqlAsync($"""DELETE FROM "ratings" """, cancellationToken);
        var users = await database.ExecuteSqlAsync($"""
            INSERT INTO "ratings" ("UserId", "Xp", "Score", "CalculatedAt")
            SELECT u."Id", u."Xp", u."Xp" + {PointsPerRecentSuccess} * COALESCE(s."Successes", 0) + {PointsPerStreakDay} * u."StreakDays", {now}
            FROM "users" AS u
            LEFT JOIN (
                SELECT r."UserId", COUNT(*) AS "Successes"
                FROM "reviews" AS r
                WHERE r."ReviewedAt" >= {since} AND r."Grade" >= 3
                GROUP BY r."UserId"
            ) AS s ON s."UserId" = u."Id"
            """, cancellationToken);
        return new { Users = users };
    }
}
