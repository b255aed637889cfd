using LearnApp.Data;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Api.Study;

/// <summary>
/// The study endpoints' hot queries, compiled once: per request EF then skips building the LINQ expression tree and
/// looking it up in its query cache (System.Linq.Expressions and EF's ExpressionEqualityComparer were in the Api's
/// CPU profile of GET due). Each is compiled per model (<see cref="CompiledPerModel{TQuery}"/>).
/// </summary>
internal static class StudyQueries
{
    /// <summary>
    /// The caller's due cards in a deck: overdue reviewed cards first (soonest due), then never-reviewed cards in card
    /// order. Both providers run the LINQ query's SQL by hand: PostgreSQL with positional parameters
    /// (<see cref="PostgresDueCards"/>), SQLite on connections with the query prepared (<see cref="SqliteDueCards"/>).
    /// </summary>
    public static Task<List<DueCard>> DueCardsAsync(
        LearnAppDbContext db, SqliteDueCards sqliteDueCards, int deckId, Guid userId, DateTime now, int take, CancellationToken cancellationToken) =>
        db switch
        {
            PostgresLearnAppDbContext postgres => PostgresDueCards.ReadAsync(postgres, deckId, userId, now, take, cancellationToken),
            SqliteLearnAppDbContext sqlite => sqliteDueCards.ReadAsync(sqlite, deckId, userId, now, take, cancellationToken),
            _ => throw new NotSupportedException($"No due query for {db.GetType().Name}."),
        };

    /// <summary>The due query in LINQ: what <see cref="PostgresDueCards"/> and <see cref="SqliteDueCards"/> are held to.</summary>
    public static IAsyncEnumerable<DueCard> LinqDueCards(LearnAppDbContext db, int deckId, Guid userId, DateTime now, int take) =>
        Compiled.DueCards.For(db)(db, deckId, userId, now, take);

    public static Task<bool> DeckExists(LearnAppDbContext db, int deckId, CancellationToken cancellationToken) =>
        Compiled.DeckExists.For(db)(db, deckId, cancellationToken);

    /// <summary>
    /// Everything a review reads, in one round trip: the card's deck, the caller's SM-2 state for it (none before
    /// the first review) and the caller's last study day; untracked, since <see cref="ReviewWriter"/> writes with
    /// SQL. Null when there is no such card.
    /// </summary>
    public static Task<ReviewTarget?> ReviewTarget(LearnAppDbContext db, Guid userId, int cardId, CancellationToken cancellationToken) =>
        Compiled.ReviewTarget.For(db)(db, userId, cardId, cancellationToken);

    private static class Compiled
    {
        // Two bounded halves, not one left join: the join probed the caller's state for every card of the deck and
        // sorted them all (253 probes and a top-N sort per call, ~0.25 ms of PostgreSQL time). Overdue cards come
        // from the (user, deck, due) index and never-reviewed ones walk (deck, id) until `take` are found; only the
        // at most 2 x take rows they return are sorted.
        public static readonly CompiledPerModel<Func<LearnAppDbContext, int, Guid, DateTime, int, IAsyncEnumerable<DueCard>>> DueCards = new(() =>
            EF.CompileAsyncQuery((LearnAppDbContext db, int deckId, Guid userId, DateTime now, int take) =>
                (from state in db.CardReviewStates
                 where state.UserId == userId && state.DeckId == deckId && state.DueAt <= now
                 join card in db.Cards on state.CardId equals card.Id
                 orderby state.DueAt, state.CardId
                 select new DueRow { CardId = card.Id, Front = card.Front, Back = card.Back, DueAt = state.DueAt, New = false })
                .Take(take)
                .Concat(
                    (from card in db.Cards
                     where card.DeckId == deckId && !db.CardReviewStates.Any(s => s.UserId == userId && s.CardId == card.Id)
                     orderby card.Id
                     select new DueRow { CardId = card.Id, Front = card.Front, Back = card.Back, DueAt = now, New = true })
                    .Take(take))
                .OrderBy(row => row.New).ThenBy(row => row.DueAt).ThenBy(row => row.CardId)
                .Take(take)
                .Select(row => new DueCard(row.CardId, row.Front, row.Back, row.New ? null : row.DueAt))));

        public static readonly CompiledPerModel<Func<LearnAppDbContext, int, CancellationToken, Task<bool>>> DeckExists = new(() =>
            EF.CompileAsyncQuery((LearnAppDbContext db, int deckId, CancellationToken _) => db.Decks.Any(d => d.Id == deckId)));

        // Left joins, not subqueries in the projection: SQLite has no APPLY/LATERAL. Both keys are unique: one row at most.
        public static readonly CompiledPerModel<Func<LearnAppDbContext, Guid, int, CancellationToken, Task<ReviewTarget?>>> ReviewTarget = new(() =>
            EF.CompileAsyncQuery((LearnAppDbContext db, Guid userId, int cardId, CancellationToken _) =>
                (from card in db.Cards.AsNoTracking()
                 where card.Id == cardId
                 join state in db.CardReviewStates.Where(s => s.UserId == userId) on card.Id equals state.CardId into states
                 from state in states.DefaultIfEmpty()
                 join user in db.Users on userId equals user.Id into users
                 from user in users.DefaultIfEmpty()
                 select new ReviewTarget(
                     card.DeckId,
                     state == null ? null : new Sm2State(state.Repetitions, state.IntervalDays, state.EaseFactor),
                     user != null,
                     user == null ? null : user.LastStudyDay))
                .FirstOrDefault()));
    }
}

/// <summary>
/// A row of either half of the due query (member-initialized, so EF can sort on its members after the union);
/// never-reviewed rows carry a placeholder due time, since both halves need the same column types.
/// </summary>
internal sealed record DueRow
{
    public required int CardId { get; init; }

    public required string Front { get; init; }

    public required string Back { get; init; }

    public required DateTime DueAt { get; init; }

    public required bool New { get; init; }
}

/// <summary>What a review reads: the card's deck, the caller's SM-2 state for it (null before the first review), whether the caller exists.</summary>
internal sealed record ReviewTarget(int DeckId, Sm2State? State, bool UserExists, DateOnly? LastStudyDay);
