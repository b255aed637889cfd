using System.Security.Claims;
using LearnApp.Api.Auth;
using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.Tasks;
using LearnApp.Tasks.Handlers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

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
        int deckId, int? limit, ClaimsPrincipal principal, LearnAppDbContext db, TimeProvider time, CancellationToken cancellationToken)
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
        var due = new List<DueCard>(take);
        await foreach (var card in StudyQueries.DueCards(db, deckId, userId, now, take).WithCancellation(cancellationToken))
        {
            due.Add(card);
        }

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

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await StudyQueries.ReviewTarget(db, userId, cardId, cancellationToken) is not { } target)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Card not found", detail: $"There is no card {cardId}.");
        }

        // A valid token for a deleted user: a server error, as before.
        var user = target.User ?? throw new InvalidOperationException($"User {userId} does not exist.");
        var state = target.State;
        var next = Sm2Scheduler.Review(
            state is null ? Sm2State.New : new Sm2State(state.Repetitions, state.IntervalDays, state.EaseFactor), grade);
        if (state is null)
        {
            state = new CardReviewState { UserId = userId, CardId = cardId, DeckId = target.DeckId };
            db.CardReviewStates.Add(state);
        }
        state.Repetitions = next.Repetitions;
        state.IntervalDays = next.IntervalDays;
        state.EaseFactor = next.EaseFactor;
        state.DueAt = now.AddDays(next.IntervalDays);
        state.LastReviewedAt = now;

        db.Reviews.Add(new Review
        {
            UserId = userId,
            CardId = cardId,
            Grade = grade,
            IntervalDays = next.IntervalDays,
            EaseFactor = next.EaseFactor,
            XpAwarded = xp,
            ReviewedAt = now,
        });

        StreakRules.Record(user, DateOnly.FromDateTime(now));

        // The job row commits with the review (an outbox): XP can be late, never lost.
        var job = tasks.NewJob(TaskNames.AwardXp, userId, new AwardXpPayload(userId, xp));
        db.Jobs.Add(job);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Concurrent review", detail: "This card was reviewed at the same moment in another request; fetch the due cards again.");
        }

        await tasks.DispatchAsync(job, cancellationToken);
        return TypedResults.Ok(new ReviewResult(cardId, next.IntervalDays, next.EaseFactor, state.DueAt, xp));
    }

    private static ProblemHttpResult DeckNotFound(int deckId) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Deck not found", detail: $"There is no deck {deckId}.");
}

public sealed record DueCard(int CardId, string Front, string Back, DateTime? DueAt);

public sealed record ReviewRequest(int? CardId, int? Grade);

public sealed record ReviewResult(int CardId, int IntervalDays, double EaseFactor, DateTime DueAt, int XpAwarded);
