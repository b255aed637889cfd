using LearnApp.Data;
using LearnApp.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Api.Study;

/// <summary>
/// The study endpoints' hot queries, compiled once: per request EF then skips building the LINQ expression tree and
/// looking it up in its query cache (System.Linq.Expressions and EF's ExpressionEqualityComparer were in the Api's
/// CPU profile of GET due). A compiled query binds to the first model it meets, so each provider's context type
/// gets its own set (one process may hold both, as the test host does).
/// </summary>
internal static class StudyQueries
{
    /// <summary>Overdue reviewed cards first (soonest due), then never-reviewed cards in card order.</summary>
    public static IAsyncEnumerable<DueCard> DueCards(LearnAppDbContext db, int deckId, Guid userId, DateTime now, int take) => db switch
    {
        PostgresLearnAppDbContext postgres => Compiled<PostgresLearnAppDbContext>.DueCards(postgres, deckId, userId, now, take),
        SqliteLearnAppDbContext sqlite => Compiled<SqliteLearnAppDbContext>.DueCards(sqlite, deckId, userId, now, take),
        _ => Compiled<LearnAppDbContext>.DueCards(db, deckId, userId, now, take),
    };

    public static Task<bool> DeckExists(LearnAppDbContext db, int deckId, CancellationToken cancellationToken) => db switch
    {
        PostgresLearnAppDbContext postgres => Compiled<PostgresLearnAppDbContext>.DeckExists(postgres, deckId, cancellationToken),
        SqliteLearnAppDbContext sqlite => Compiled<SqliteLearnAppDbContext>.DeckExists(sqlite, deckId, cancellationToken),
        _ => Compiled<LearnAppDbContext>.DeckExists(db, deckId, cancellationToken),
    };

    /// <summary>
    /// Everything a review reads, in one round trip (it was three): the card's deck, the caller's SM-2 state for it
    /// (null before the first review) and the caller; state and user are tracked, since the review updates them.
    /// Null when there is no such card.
    /// </summary>
    public static Task<ReviewTarget?> ReviewTarget(LearnAppDbContext db, Guid userId, int cardId, CancellationToken cancellationToken) => db switch
    {
        PostgresLearnAppDbContext postgres => Compiled<PostgresLearnAppDbContext>.ReviewTarget(postgres, userId, cardId, cancellationToken),
        SqliteLearnAppDbContext sqlite => Compiled<SqliteLearnAppDbContext>.ReviewTarget(sqlite, userId, cardId, cancellationToken),
        _ => Compiled<LearnAppDbContext>.ReviewTarget(db, userId, cardId, cancellationToken),
    };

    private static class Compiled<TContext> where TContext : LearnAppDbContext
    {
        public static readonly Func<TContext, int, Guid, DateTime, int, IAsyncEnumerable<DueCard>> DueCards =
            EF.CompileAsyncQuery((TContext db, int deckId, Guid userId, DateTime now, int take) =>
                (from card in db.Cards.AsNoTracking()
                 where card.DeckId == deckId
                 join state in db.CardReviewStates.Where(s => s.UserId == userId) on card.Id equals state.CardId into states
                 from state in states.DefaultIfEmpty()
                 where state == null || state.DueAt <= now
                 orderby state == null, state!.DueAt, card.Id
                 select new DueCard(card.Id, card.Front, card.Back, state == null ? null : state.DueAt))
                .Take(take));

        public static readonly Func<TContext, int, CancellationToken, Task<bool>> DeckExists =
            EF.CompileAsyncQuery((TContext db, int deckId, CancellationToken _) => db.Decks.Any(d => d.Id == deckId));

        // Left joins, not subqueries in the projection: SQLite has no APPLY/LATERAL. Both keys are unique: one row at most.
        public static readonly Func<TContext, Guid, int, CancellationToken, Task<ReviewTarget?>> ReviewTarget =
            EF.CompileAsyncQuery((TContext db, Guid userId, int cardId, CancellationToken _) =>
                (from card in db.Cards
                 where card.Id == cardId
                 join state in db.CardReviewStates.Where(s => s.UserId == userId) on card.Id equals state.CardId into states
                 from state in states.DefaultIfEmpty()
                 join user in db.Users on userId equals user.Id into users
                 from user in users.DefaultIfEmpty()
                 select new ReviewTarget(card.DeckId, state, user))
                .FirstOrDefault());
    }
}

/// <summary>What a review reads: the card's deck, the caller's state for the card and the caller (null if deleted).</summary>
internal sealed record ReviewTarget(int DeckId, CardReviewState? State, User? User);
