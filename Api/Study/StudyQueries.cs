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

    /// <summary>The card's deck, or 0 when there is no such card (deck ids are identities from 1).</summary>
    public static Task<int> CardDeck(LearnAppDbContext db, int cardId, CancellationToken cancellationToken) => db switch
    {
        PostgresLearnAppDbContext postgres => Compiled<PostgresLearnAppDbContext>.CardDeck(postgres, cardId, cancellationToken),
        SqliteLearnAppDbContext sqlite => Compiled<SqliteLearnAppDbContext>.CardDeck(sqlite, cardId, cancellationToken),
        _ => Compiled<LearnAppDbContext>.CardDeck(db, cardId, cancellationToken),
    };

    /// <summary>The caller's SM-2 state for a card (tracked: the review updates it), or null before the first review.</summary>
    public static Task<CardReviewState?> ReviewState(LearnAppDbContext db, Guid userId, int cardId, CancellationToken cancellationToken) => db switch
    {
        PostgresLearnAppDbContext postgres => Compiled<PostgresLearnAppDbContext>.ReviewState(postgres, userId, cardId, cancellationToken),
        SqliteLearnAppDbContext sqlite => Compiled<SqliteLearnAppDbContext>.ReviewState(sqlite, userId, cardId, cancellationToken),
        _ => Compiled<LearnAppDbContext>.ReviewState(db, userId, cardId, cancellationToken),
    };

    /// <summary>The caller (tracked: the review may extend the streak).</summary>
    public static Task<User> User(LearnAppDbContext db, Guid userId, CancellationToken cancellationToken) => db switch
    {
        PostgresLearnAppDbContext postgres => Compiled<PostgresLearnAppDbContext>.User(postgres, userId, cancellationToken),
        SqliteLearnAppDbContext sqlite => Compiled<SqliteLearnAppDbContext>.User(sqlite, userId, cancellationToken),
        _ => Compiled<LearnAppDbContext>.User(db, userId, cancellationToken),
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

        public static readonly Func<TContext, int, CancellationToken, Task<int>> CardDeck =
            EF.CompileAsyncQuery((TContext db, int cardId, CancellationToken _) =>
                db.Cards.Where(c => c.Id == cardId).Select(c => c.DeckId).FirstOrDefault());

        public static readonly Func<TContext, Guid, int, CancellationToken, Task<CardReviewState?>> ReviewState =
            EF.CompileAsyncQuery((TContext db, Guid userId, int cardId, CancellationToken _) =>
                db.CardReviewStates.FirstOrDefault(s => s.UserId == userId && s.CardId == cardId));

        public static readonly Func<TContext, Guid, CancellationToken, Task<User>> User =
            EF.CompileAsyncQuery((TContext db, Guid userId, CancellationToken _) => db.Users.First(u => u.Id == userId));
    }
}
