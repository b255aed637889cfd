using System.Net.Http.Json;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Api.Tests;

/// <summary>The single topology: the same study flow on SQLite, migrated by the SQLite migrations.</summary>
public sealed class SqliteFlowTests : IAsyncLifetime
{
    private readonly string _directory = TestWorkDirectory.Create("sqlite");
    private ApiFactory _factory = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory = ApiFactory.ForSqlite(Path.Combine(_directory, "learnapp.db"));
        await _factory.MigrateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestWorkDirectory.Delete(_directory);
    }

    [Fact]
    public async Task RegisterStudyReviewAndXpWorkOnSqlite()
    {
        var (client, _) = await _factory.CreateUserClientAsync();
        var decks = (await client.GetFromJsonAsync<List<DeckBody>>("/api/v1/decks", Cancel))!;
        var greek = decks.Single(d => d.Title == "Greek basics");

        var due = (await client.GetFromJsonAsync<List<DueBody>>($"/api/v1/study/due?deckId={greek.Id}&limit=2", Cancel))!;
        var review = await (await client.PostAsJsonAsync("/api/v1/study/reviews", new { cardId = due[0].CardId, grade = 3 }, Cancel))
            .Content.ReadFromJsonAsync<ReviewBody>(Cancel);
        var dueAfter = (await client.GetFromJsonAsync<List<DueBody>>($"/api/v1/study/due?deckId={greek.Id}&limit=2", Cancel))!;

        Assert.True(greek.CardCount >= 200);
        Assert.Equal((1, 2.36, 8), (review!.IntervalDays, review.EaseFactor, review.XpAwarded));
        Assert.Equal(DateTimeKind.Utc, review.DueAt.Kind);
        Assert.Equal(due[1].CardId, dueAfter[0].CardId);
        await Eventually.ReturnsAsync(() => client.GetFromJsonAsync<MeBody>("/api/v1/me", Cancel)!, m => m!.Xp == 8);
    }

    [Fact]
    public async Task EveryConnectionLetsSqliteItselfWaitForTheWriteLock()
    {
        // Microsoft.Data.Sqlite's own retry sleeps 150 ms per busy statement; SQLite's busy handler waits far less.
        var timeout = await _factory.WithDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync(Cancel);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA busy_timeout";
            return Convert.ToInt64(await command.ExecuteScalarAsync(Cancel), System.Globalization.CultureInfo.InvariantCulture);
        });

        Assert.Equal(30_000, timeout);
    }

    [Fact]
    public async Task ReviewsWaitInLineForSqlitesOneWriterAndAllCommit()
    {
        var (client, userId) = await _factory.CreateUserClientAsync();
        var deckId = (await client.GetFromJsonAsync<List<DeckBody>>("/api/v1/decks", Cancel))!.Single(d => d.Title == "Greek basics").Id;
        var cards = (await client.GetFromJsonAsync<List<DueBody>>($"/api/v1/study/due?deckId={deckId}&limit=5", Cancel))!;

        // Hold the writer's turn: the reviews must queue behind it (as one group for the writer), not poll SQLite's lock.
        Task<HttpResponseMessage>[] reviews;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LearnApp.Data.LearnAppDbContext>();
            using (await LearnApp.Data.SqliteWriterTurns.WaitTurnAsync(db, Cancel))
            {
                reviews = [.. cards.Select(c => client.PostAsJsonAsync("/api/v1/study/reviews", new { cardId = c.CardId, grade = 4 }, Cancel))];
                await Eventually.ReturnsAsync(() => Task.FromResult(LearnApp.Data.SqliteGroupCommit.QueuedFor(db)), queued => queued == cards.Count);
                Assert.Equal(1, LearnApp.Data.SqliteWriterTurns.WaitingFor(db));
                Assert.All(reviews, review => Assert.False(review.IsCompleted));
            }
        }

        Assert.All(await Task.WhenAll(reviews), response => Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(cards.Count, await _factory.WithDbAsync(db => db.Reviews.CountAsync(r => r.UserId == userId, Cancel)));
    }

    private sealed record DeckBody(int Id, string Title, string Language, int CardCount);

    private sealed record DueBody(int CardId, string Front, string Back, DateTime? DueAt);

    private sealed record ReviewBody(int CardId, int IntervalDays, double EaseFactor, DateTime DueAt, int XpAwarded);

    private sealed record MeBody(Guid UserId, string Email, string DisplayName, int Xp, int StreakDays);
}
