using System.Net;
using System.Net.Http.Json;
using System.Text;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Api.Tests;

public sealed class StudyTests(PostgresServerFixture postgres) : IAsyncLifetime
{
    private ApiFactory _factory = null!;
    private string _connectionString = null!;
    private int _deckId;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("study");
        _factory = ApiFactory.ForPostgres(_connectionString);
        await _factory.MigrateAsync();
        _deckId = await _factory.WithDbAsync(db => db.Decks.Where(d => d.Title == "Greek basics").Select(d => d.Id).SingleAsync(Cancel));
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task SeedHasGreekBasicsWithAtLeast200CardsAndASecondDeck()
    {
        var (client, _) = await _factory.CreateUserClientAsync();

        var decks = await client.GetFromJsonAsync<List<DeckBody>>("/api/v1/decks", Cancel);

        Assert.NotNull(decks);
        Assert.Equal(2, decks.Count);
        var greek = decks.Single(d => d.Title == "Greek basics");
        Assert.Equal("el", greek.Language);
        Assert.True(greek.CardCount >= 200, $"{greek.CardCount} cards");
        Assert.Contains(decks, d => d.Id != greek.Id && d.CardCount is > 0 and < 200);
    }

    [Fact]
    public async Task NeverReviewedCardsAreDueInCardOrder()
    {
        var (client, _) = await _factory.CreateUserClientAsync();

        var due = await client.GetFromJsonAsync<List<DueBody>>($"/api/v1/study/due?deckId={_deckId}&limit=5", Cancel);

        Assert.NotNull(due);
        Assert.Equal(5, due.Count);
        Assert.All(due, d => Assert.Null(d.DueAt));
        Assert.Equal(due.Select(d => d.CardId).Order(), due.Select(d => d.CardId));
        Assert.Equal("γεια", due[0].Front);
    }

    [Fact]
    public async Task AReviewedCardLeavesTheDueListUntilItIsDueAndOverdueCardsComeFirst()
    {
        var (client, userId) = await _factory.CreateUserClientAsync();
        var first = (await client.GetFromJsonAsync<List<DueBody>>($"/api/v1/study/due?deckId={_deckId}&limit=3", Cancel))!;

        (await client.PostAsJsonAsync("/api/v1/study/reviews", new { cardId = first[0].CardId, grade = 5 }, Cancel)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/v1/study/reviews", new { cardId = first[1].CardId, grade = 4 }, Cancel)).EnsureSuccessStatusCode();
        var afterReviews = (await client.GetFromJsonAsync<List<DueBody>>($"/api/v1/study/due?deckId={_deckId}&limit=3", Cancel))!;

        Assert.DoesNotContain(afterReviews, d => d.CardId == first[0].CardId || d.CardId == first[1].CardId);
        Assert.Equal(first[2].CardId, afterReviews[0].CardId);

        // Time passes for the second card only: it is due again, and ahead of the never-reviewed ones.
        var overdue = DateTime.UtcNow.AddMinutes(-5);
        await _factory.WithDbAsync(db => db.CardReviewStates.Where(s => s.UserId == userId && s.CardId == first[1].CardId)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.DueAt, overdue), Cancel));
        var later = (await client.GetFromJsonAsync<List<DueBody>>($"/api/v1/study/due?deckId={_deckId}&limit=3", Cancel))!;

        Assert.Equal(first[1].CardId, later[0].CardId);
        Assert.NotNull(later[0].DueAt);
        Assert.DoesNotContain(later, d => d.CardId == first[0].CardId);
    }

    [Fact]
    public async Task DueCardsAreIndependentPerUser()
    {
        var (alice, _) = await _factory.CreateUserClientAsync("alice");
        var (bob, _) = await _factory.CreateUserClientAsync("bob");
        var card = (await alice.GetFromJsonAsync<List<DueBody>>($"/api/v1/study/due?deckId={_deckId}&limit=1", Cancel))![0];

        (await alice.PostAsJsonAsync("/api/v1/study/reviews", new { cardId = card.CardId, grade = 5 }, Cancel)).EnsureSuccessStatusCode();
        var bobsDue = (await bob.GetFromJsonAsync<List<DueBody>>($"/api/v1/study/due?deckId={_deckId}&limit=1", Cancel))!;

        Assert.Equal(card.CardId, bobsDue[0].CardId);
    }

    [Fact]
    public async Task AReviewUpdatesStateAndHistoryInOneTransactionAndXpArrivesThroughTheTask()
    {
        var (client, userId) = await _factory.CreateUserClientAsync();
        var card = (await client.GetFromJsonAsync<List<DueBody>>($"/api/v1/study/due?deckId={_deckId}&limit=1", Cancel))![0];

        var first = await (await client.PostAsJsonAsync("/api/v1/study/reviews", new { cardId = card.CardId, grade = 5 }, Cancel))
            .Content.ReadFromJsonAsync<ReviewBody>(Cancel);
        var second = await (await client.PostAsJsonAsync("/api/v1/study/reviews", new { cardId = card.CardId, grade = 4 }, Cancel))
            .Content.ReadFromJsonAsync<ReviewBody>(Cancel);

        Assert.Equal((1, 2.6, 10), (first!.IntervalDays, first.EaseFactor, first.XpAwarded));
        Assert.Equal((6, 2.6, 9), (second!.IntervalDays, second.EaseFactor, second.XpAwarded));
        Assert.InRange(second.DueAt, DateTime.UtcNow.AddDays(6).AddMinutes(-1), DateTime.UtcNow.AddDays(6).AddMinutes(1));

        var (reviews, jobs) = await _factory.WithDbAsync(async db => (
            await db.Reviews.Where(r => r.UserId == userId).OrderBy(r => r.Id).Select(r => r.Grade).ToListAsync(Cancel),
            await db.Jobs.Where(j => j.UserId == userId).Select(j => j.Type).ToListAsync(Cancel)));
        Assert.Equal([5, 4], reviews);
        Assert.Equal(["award_xp", "award_xp"], jobs);

        var me = await Eventually.ReturnsAsync(
            () => client.GetFromJsonAsync<MeBody>("/api/v1/me", Cancel)!,
            m => m!.Xp == 19);
        Assert.Equal(1, me!.StreakDays);
    }

    [Fact]
    public async Task ACardAnsweredPerfectlyOverAndOverStaysReviewableAndIsDueWithinAHundredYears()
    {
        // Reviews are allowed before a card is due, so a keen learner can grow SM-2's interval without bound.
        var (client, _) = await _factory.CreateUserClientAsync();
        var cardId = (await client.GetFromJsonAsync<List<DueBody>>($"/api/v1/study/due?deckId={_deckId}&limit=1", Cancel))![0].CardId;

        ReviewBody? last = null;
        for (var i = 0; i < 25; i++)
        {
            var response = await client.PostAsJsonAsync("/api/v1/study/reviews", new { cardId, grade = 5 }, Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"review {i + 1}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
            last = await response.Content.ReadFromJsonAsync<ReviewBody>(Cancel);
        }

        Assert.Equal(36_500, last!.IntervalDays);
        Assert.InRange(last.DueAt, DateTime.UtcNow.AddDays(36_499), DateTime.UtcNow.AddDays(36_501));
    }

    [Fact]
    public async Task AFirstReviewThatLosesTheRaceForItsCardIsAConflictThatWritesNothingAndLogsNoError()
    {
        var (client, userId) = await _factory.CreateUserClientAsync();
        var cardId = (await client.GetFromJsonAsync<List<DueBody>>($"/api/v1/study/due?deckId={_deckId}&limit=1", Cancel))![0].CardId;

        // Another first review of the same card, not yet committed: the Api reads no state, so it inserts one, and
        // its insert waits on this one's key until this commits.
        await using var rival = await HeldTransaction.BeginAsync(_connectionString,
            """
            INSERT INTO card_review_states ("UserId", "CardId", "DeckId", "Repetitions", "IntervalDays", "EaseFactor", "DueAt", "LastReviewedAt")
            VALUES (@user, @card, @deck, 1, 1, 2.6, now() + interval '1 day', now())
            """, new Dictionary<string, object> { ["user"] = userId, ["card"] = cardId, ["deck"] = _deckId }, Cancel);
        var review = client.PostAsJsonAsync("/api/v1/study/reviews", new { cardId, grade = 5 }, Cancel);
        await Eventually.ReturnsAsync(() => rival.WaitersAsync(Cancel), waiters => waiters == 1);
        await rival.CommitAsync(Cancel);

        await ProblemAssert.IsProblemAsync(await review, HttpStatusCode.Conflict);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.Reviews.CountAsync(r => r.UserId == userId, Cancel)));
        Assert.Equal(0, await _factory.WithDbAsync(db => db.Jobs.CountAsync(j => j.UserId == userId, Cancel)));
        // A race the app answers is not an error for an operator.
        _factory.Logs.AssertNoneAtLeast(Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task AReviewOfAMissingCardChangesNothing()
    {
        var (client, userId) = await _factory.CreateUserClientAsync();

        var response = await client.PostAsJsonAsync("/api/v1/study/reviews", new { cardId = 987654, grade = 3 }, Cancel);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.Reviews.CountAsync(r => r.UserId == userId, Cancel)));
        Assert.Equal(0, await _factory.WithDbAsync(db => db.Jobs.CountAsync(j => j.UserId == userId, Cancel)));
    }

    [Theory]
    [InlineData("""{"cardId":1,"grade":6}""")]
    [InlineData("""{"cardId":1,"grade":-1}""")]
    [InlineData("""{"cardId":1}""")]
    public async Task BadGradesAreValidationProblems(string json)
    {
        var (client, _) = await _factory.CreateUserClientAsync();

        var response = await client.PostAsync(new Uri("/api/v1/study/reviews", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"), Cancel);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("grade", problem.Errors!.Keys);
    }

    [Theory]
    [InlineData("""{"cardId":1,"grade":""")]
    [InlineData("""{"cardId":1,"grade":"five"}""")]
    [InlineData("""{"cardId":1,"grade":2.5}""")]
    [InlineData("not json at all")]
    public async Task MalformedJsonIsABadRequestProblem(string json)
    {
        var (client, _) = await _factory.CreateUserClientAsync();

        var response = await client.PostAsync(new Uri("/api/v1/study/reviews", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"), Cancel);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnOversizedBodyIsRefusedWith413()
    {
        var (client, _) = await _factory.CreateUserClientAsync();
        var huge = $$"""{"cardId":1,"grade":3,"padding":"{{new string('x', 200_000)}}"}""";

        var response = await client.PostAsync(new Uri("/api/v1/study/reviews", UriKind.Relative), new StringContent(huge, Encoding.UTF8, "application/json"), Cancel);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=abc")]
    [InlineData("")]
    public async Task BadDueQueriesAreProblems(string query)
    {
        var (client, _) = await _factory.CreateUserClientAsync();

        var response = await client.GetAsync(new Uri($"/api/v1/study/due?{(query.Length == 0 ? "" : $"deckId={_deckId}&{query}")}", UriKind.Relative), Cancel);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnotherUsersJobIsNotFound()
    {
        var (alice, _) = await _factory.CreateUserClientAsync("alice");
        var (bob, _) = await _factory.CreateUserClientAsync("bob");
        var card = (await alice.GetFromJsonAsync<List<DueBody>>($"/api/v1/study/due?deckId={_deckId}&limit=1", Cancel))![0];
        await alice.PostAsJsonAsync("/api/v1/study/reviews", new { cardId = card.CardId, grade = 5 }, Cancel);
        var alicesJob = await _factory.WithDbAsync(db => db.Jobs.OrderByDescending(j => j.CreatedAt).Select(j => j.Id).FirstAsync(Cancel));

        var asAlice = await alice.GetAsync(new Uri($"/api/v1/jobs/{alicesJob}", UriKind.Relative), Cancel);
        var asBob = await bob.GetAsync(new Uri($"/api/v1/jobs/{alicesJob}", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, asAlice.StatusCode);
        await ProblemAssert.IsProblemAsync(asBob, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnUnknownApiPathIsANotFoundProblem()
    {
        var (client, _) = await _factory.CreateUserClientAsync();

        var response = await client.GetAsync(new Uri("/api/v1/jobs/not-a-guid", UriKind.Relative), Cancel);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    private sealed record DeckBody(int Id, string Title, string Language, int CardCount);

    private sealed record DueBody(int CardId, string Front, string Back, DateTime? DueAt);

    private sealed record ReviewBody(int CardId, int IntervalDays, double EaseFactor, DateTime DueAt, int XpAwarded);

    private sealed record MeBody(Guid UserId, string Email, string DisplayName, int Xp, int StreakDays);
}
