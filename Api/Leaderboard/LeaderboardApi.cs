using LearnApp.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Api.Leaderboard;

internal static class LeaderboardApi
{
    public const int Size = 50;

    public static RouteGroupBuilder MapLeaderboard(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/leaderboard").WithTags("Leaderboard");
        group.MapGet("/", GetLeaderboardAsync)
            .WithName("GetLeaderboard")
            .WithSummary("The top learners as of the latest calculate_all_ratings run.");
        return group;
    }

    private static async Task<Ok<List<LeaderboardEntry>>> GetLeaderboardAsync(LearnAppDbContext db, CancellationToken cancellationToken)
    {
        var entries = await (
                from rating in db.Ratings.AsNoTracking()
                join user in db.Users on rating.UserId equals user.Id
                orderby rating.Score descending, user.DisplayName
                select new LeaderboardEntry(user.DisplayName, rating.Score, rating.Xp))
            .Take(Size)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(entries);
    }
}

public sealed record LeaderboardEntry(string DisplayName, double Rating, int Xp);
