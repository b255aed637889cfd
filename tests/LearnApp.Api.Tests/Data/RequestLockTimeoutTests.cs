using System.Net;
using System.Net.Http.Json;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LearnApp.Api.Tests.Data;

/// <summary>
/// A lock held from outside the app (an operator's transaction) makes a request's statement wait. It gives up after
/// the request lock timeout with a retryable 503, and the commands queued behind it on its multiplexed connection
/// (other learners' requests) go on instead of waiting for the lock too.
/// </summary>
public sealed class RequestLockTimeoutTests(PostgresServerFixture postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AReviewBehindAnOutsideLockGivesUpWith503AndTheRequestsBehindItGoOn()
    {
        // One connection per pool: every request's command is queued on the same physical connection.
        var database = await postgres.CreateDatabaseAsync("locktimeout");
        await using var api = ApiFactory.ForPostgres(database + ";Maximum Pool Size=1");
        await api.MigrateAsync();
        var deckId = await api.WithDbAsync(db => db.Decks.Where(d => d.Title == "Greek basics").Select(d => d.Id).SingleAsync(Cancel));
        var card = await api.WithDbAsync(db => db.Cards.Where(c => c.DeckId == deckId).MinAsync(c => c.Id, Cancel));
        var (reviewer, reviewerId) = await api.CreateUserClientAsync("reviewer");
        var (other, _) = await api.CreateUserClientAsync("other");

        // The review's foreign-key check on its card waits for this lock.
        await using var hold = await HeldTransaction.BeginAsync(database,
            "SELECT 1 FROM cards WHERE \"Id\" = @card FOR UPDATE", new Dictionary<string, object> { ["card"] = card }, Cancel);
        var blocked = reviewer.PostAsJsonAsync("/api/v1/study/reviews", new { cardId = card, grade = 4 }, Cancel);
        await Eventually.ReturnsAsync(() => hold.WaitersAsync(Cancel), waiters => waiters == 1);
        var behind = other.GetAsync($"/api/v1/study/due?deckId={deckId}&limit=5", Cancel);

        // Both are answered while the lock is still held (without a lock timeout neither would be, until it went).
        var answered = Task.WhenAll(blocked, behind);
        Assert.True(answered == await Task.WhenAny(answered, Task.Delay(TimeSpan.FromSeconds(20), Cancel)),
            "the review and the GET queued behind it still waited for the lock after 20 s");
        Assert.Equal(HttpStatusCode.OK, (await behind).StatusCode);
        var problem = await ProblemAssert.IsProblemAsync(await blocked, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("Nothing was written", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), (await blocked).Headers.RetryAfter?.Delta);
        // An operator sees a warning about the lock, not an error about the app.
        Assert.Contains(api.Logs.AtLeast(LogLevel.Warning), e => e.Message.Contains("gave up waiting for a database lock", StringComparison.Ordinal));
        api.Logs.AssertNoneAtLeast(LogLevel.Error);

        // Nothing of the failed review was written, and once the lock is gone the same review goes through.
        await hold.RollbackAsync(Cancel);
        var retried = await reviewer.PostAsJsonAsync("/api/v1/study/reviews", new { cardId = card, grade = 4 }, Cancel);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(1, await api.WithDbAsync(db => db.Reviews.CountAsync(r => r.UserId == reviewerId, Cancel)));
    }
}
