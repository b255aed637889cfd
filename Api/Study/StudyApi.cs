using System.Security.Claims;
using LearnApp.Api.Auth;
using LearnApp.Data;
using LearnApp.Tasks;
using LearnApp.Tasks.Handlers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LearnApp.Api.Study;

internal static class StudyApi
{
    public const int DefaultDueLimit = 20;
    public const int MaxDueLimit = 100;

    public static RouteGroupBuilder MapStudy(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/study").WithTags("Study").RequireAuthorization();

        group.MapGet("/due", GetDueAsync)
            .WithName("GetDueCards")
            .WithSummary("The caller's due cards in a deck: overdue reviews first, then never-reviewed cards.");
        group.MapPost("/reviews", ReviewAsync)
            .WithName("ReviewCard")
            .WithSummary("Grades a card (0..5), reschedules it with SM-2 and awards XP.");

        return group;
    }

    private static async Task<Results<Ok<List<DueCard>>, ValidationProblem, ProblemHttpResult>> GetDueAsync(
        int deckId, int? limit, ClaimsPrincipal principal, LearnAppDbContext db, SqliteDueCards sqliteDueCards, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var take = limit ?? DefaultDueLimit;
        if (take is < 1 or > MaxDueLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["limit"] = [$"limit must be between 1 and {MaxDueLimit}."],
            });
        }

        var userId = principal.GetUserId();
        var now = time.GetUtcNow().UtcDateTime;
        var due = await StudyQueries.DueCardsAsync(db, sqliteDueCards, deckId, userId, now, take, cancellationToken);

        // Only an empty answer needs the second look: is the deck missing, or is nothing due in it?
        if (due.Count == 0 && !await StudyQueries.DeckExists(db, deckId, cancellationToken))
        {
            return DeckNotFound(deckId);
        }

        return TypedResults.Ok(due);
    }

    private static async Task<Results<Ok<ReviewResult>, ValidationProblem, ProblemHttpResult>> ReviewAsync(
        ReviewRequest request,
        ClaimsPrincipal principal,
        LearnAppDbContext db,
        TaskDispatcher tasks,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (request.Grade is not (>= 0 and <= 5))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["grade"] = ["grade must be a whole number from 0 (blackout) to 5 (perfect)."],
            });
        }
        if (request.CardId is not { } cardId)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cardId"] = ["cardId is required."] });
        }

        var userId = principal.GetUserId();
        var now = time.GetUtcNow().UtcDateTime;
        var grade = request.Grade.Value;
        var xp = XpRules.ForReview(grade);

        if (await StudyQueries.ReviewTarget(db, userId, cardId, cancellationToken) is not { } target)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Card not found", detail: $"There is no card {cardId}.");
        }

        // A valid token for a deleted user: a server error, as before.
        if (!target.UserExists)
        {
            throw new InvalidOperationException($"User {userId} does not exist.");
        }

        var next = Sm2Scheduler.Review(target.State ?? Sm2State.New, grade);
        var dueAt = now.AddDays(next.IntervalDays);

        // The job row commits with the review (an outbox): XP can be late, never lost.
        var job = tasks.NewJob(TaskNames.AwardXp, userId, new AwardXpPayload(userId, xp));
        try
        {
            await ReviewWriter.WriteAsync(db, new ReviewWrite(
                userId, cardId, target.DeckId, target.State is null, next, grade, xp, now, dueAt, target.LastStudyDay), job, cancellationToken);
        }
        catch (Exception ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Concurrent review", detail: "This card was reviewed at the same moment in another request; fetch the due cards again.");
        }

        await tasks.DispatchAsync(job, cancellationToken);
        return TypedResults.Ok(new ReviewResult(cardId, next.IntervalDays, next.EaseFactor, dueAt, xp));
    }

    private static ProblemHttpResult DeckNotFound(int deckId) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Deck not found", detail: $"There is no deck {deckId}.");
}

public sealed record DueCard(int CardId, string Front, string Back, DateTime? DueAt);

public sealed record ReviewRequest(int? CardId, int? Grade);

public sealed record ReviewResult(int CardId, int IntervalDays, double EaseFactor, DateTime DueAt, int XpAwarded);
