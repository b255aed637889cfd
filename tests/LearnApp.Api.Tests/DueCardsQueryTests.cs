using LearnApp.Api.Study;
using LearnApp.Data.Entities;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Api.Tests;

/// <summary>
/// Each provider's due query is SQL written out (<see cref="PostgresDueCards"/>, <see cref="SqliteDueCards"/>); it must
/// answer what the LINQ query does.
/// </summary>
public sealed class DueCardsQueryTests(PostgresServerFixture postgres) : IAsyncLifetime
{
    private readonly string _directory = TestWorkDirectory.Create("due");
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestWorkDirectory.Delete(_directory);
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task TheSqlDueQueryAnswersWhatTheLinqOneDoesForEveryUserDeckAndLimit(string provider)
    {
        await using var api = provider == "postgres"
            ? ApiFactory.ForPostgres(await postgres.CreateDatabaseAsync("due"))
            : ApiFactory.ForSqlite(Path.Combine(_directory, "learnapp.db"));
        await api.MigrateAsync();
        var sqliteDueCards = api.Services.GetRequiredService<SqliteDueCards>();
        var (_, learner) = await api.CreateUserClientAsync("learner");
        var (_, other) = await api.CreateUserClientAsync("other");
        var (_, fresh) = await api.CreateUserClientAsync("fresh");
        var now = DateTime.UtcNow;
        var decks = await api.WithDbAsync(db => db.Decks.Select(d => d.Id).ToListAsync(Cancel));
        await api.WithDbAsync(async db =>
        {
            var cards = await db.Cards.OrderBy(c => c.Id).Select(c => new { c.Id, c.DeckId }).ToListAsync(Cancel);
            var greek = cards.Where(c => c.DeckId == decks[0]).ToList();
            var phrases = cards.Where(c => c.DeckId == decks[1]).ToList();
            // Overdue by days, by an hour, due exactly now, two due at the same moment (ties go by card id), not yet due.
            TimeSpan[] offsets = [TimeSpan.FromDays(-3), TimeSpan.FromHours(-1), TimeSpan.Zero, TimeSpan.FromDays(-2), TimeSpan.FromDays(-2), TimeSpan.FromDays(1), TimeSpan.FromDays(6)];
            var states = offsets.Select((offset, i) => State(learner, greek[(i * 7) + 3].Id, greek[0].DeckId, now + offset))
                .Append(State(learner, phrases[1].Id, phrases[1].DeckId, now.AddMinutes(-5)))
                .Append(State(other, greek[0].Id, greek[0].DeckId, now.AddDays(-1)))
                .Append(State(other, greek[1].Id, greek[1].DeckId, now.AddDays(2)));
            db.CardReviewStates.AddRange(states);
            return await db.SaveChangesAsync(Cancel);
        });

        foreach (var user in new[] { learner, other, fresh })
        {
            foreach (var deck in decks.Append(decks.Max() + 1))
            {
                foreach (var take in new[] { 1, 3, 5, 20, 100 })
                {
                    var (sql, linq) = await api.WithDbAsync(async db => (
                        await StudyQueries.DueCardsAsync(db, sqliteDueCards, deck, user, now, take, Cancel),
                        await StudyQueries.LinqDueCards(db, deck, user, now, take).ToListAsync(Cancel)));

                    Assert.Equal(linq, sql);
                    Assert.All(sql, card => Assert.True(card.DueAt is null || card.DueAt.Value.Kind == DateTimeKind.Utc));
                }
            }
        }

        // The cases were not trivial: the learner's five overdue Greek cards lead, then never-reviewed ones follow.
        var leading = await api.WithDbAsync(db => StudyQueries.DueCardsAsync(db, sqliteDueCards, decks[0], learner, now, 20, Cancel));
        Assert.Equal(5, leading.TakeWhile(card => card.DueAt is not null).Count());
        Assert.Equal(20, leading.Count);
    }

    private static CardReviewState State(Guid userId, int cardId, int deckId, DateTime dueAt) => new()
    {
        UserId = userId,
        CardId = cardId,
        DeckId = deckId,
        Repetitions = 1,
        IntervalDays = 1,
        EaseFactor = 2.5,
        DueAt = dueAt,
        LastReviewedAt = dueAt.AddDays(-1),
    };
}
