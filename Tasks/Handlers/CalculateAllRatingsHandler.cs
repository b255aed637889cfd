using LearnApp.Data.Entities;
using LearnApp.Tasks.Execution;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Tasks.Handlers;

/// <summary>
/// Recomputes every learner's rating: XP, plus 20 points per successful review (grade 3+) in the last 30 days,
/// plus 15 per streak day, so steady recent practice counts more than old XP. Replaces the table in one go.
/// </summary>
public sealed class CalculateAllRatingsHandler : ITaskHandler
{
    public string TaskType => TaskNames.CalculateAllRatings;

    public async Task<object?> ExecuteAsync(TaskExecution execution, CancellationToken cancellationToken)
    {
        var db = execution.Db;
        var now = DateTime.UtcNow;
        var since = now.AddDays(-30);
        var recentSuccesses = await db.Reviews.Where(r => r.ReviewedAt >= since && r.Grade >= 3)
            .GroupBy(r => r.UserId)
            .Select(g => new { UserId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.UserId, g => g.Count, cancellationToken);
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.Xp, u.StreakDays }).ToListAsync(cancellationToken);

        await db.Ratings.ExecuteDeleteAsync(cancellationToken);
        db.Ratings.AddRange(users.Select(u => new Rating
        {
            UserId = u.Id,
            Xp = u.Xp,
            Score = u.Xp + (20 * recentSuccesses.GetValueOrDefault(u.Id)) + (15 * u.StreakDays),
            CalculatedAt = now,
        }));
        return new { Users = users.Count };
    }
}
