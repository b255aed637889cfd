using LearnApp.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Api.Decks;

internal static class DecksApi
{
    public static RouteGroupBuilder MapDecks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/decks").WithTags("Decks").RequireAuthorization();
        group.MapGet("/", GetDecksAsync).WithName("GetDecks").WithSummary("Every deck with its card count.");
        return group;
    }

    private static async Task<Ok<List<DeckSummary>>> GetDecksAsync(
        LearnAppDbContext db, DeckImpressionCounter impressions, CancellationToken cancellationToken)
    {
        var decks = await db.Decks.AsNoTracking()
            .OrderBy(d => d.Id)
            .Select(d => new DeckSummary(d.Id, d.Title, d.Language, d.Cards.Count))
            .ToListAsync(cancellationToken);
        impressions.Count(decks.Select(d => d.Id));
        return TypedResults.Ok(decks);
    }
}

public sealed record DeckSummary(int Id, string Title, string Language, int CardCount);
