using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace LearnApp.Api.Tests.Data;

/// <summary>
/// An Api whose every request connection is busy behind a lock: the requests beyond its pool's bound wait their turn
/// on the multiplexed connections and are all answered once the lock goes, none failed, and PostgreSQL sees no more
/// than the two pools' bound. That the bounds are set at all is ConnectionSettingsTests' part: in process, an
/// unbounded pool had opened only ~22 connections by the time the waiters reached 20, so this test passes without them.
/// </summary>
public sealed class ConnectionBudgetTests(PostgresServerFixture postgres)
{
    private const int Learners = 4;
    private const int RequestsEach = 15;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RequestsBeyondThePoolsBoundWaitTheirTurnAndAreAllAnswered()
    {
        // The fixture's connection strings choose a pool size; this test wants the app's own.
        var settings = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync("budget"));
        settings.Remove("Maximum Pool Size");
        await using var api = ApiFactory.ForPostgres(settings.ConnectionString);
        await api.MigrateAsync();
        var deckId = await api.WithDbAsync(db => db.Decks.Where(d => d.Title == "Greek basics").Select(d => d.Id).SingleAsync(Cancel));
        var learners = await Task.WhenAll(Enumerable.Range(0, Learners).Select(i => api.CreateUserClientAsync($"budget{i}")));

        // A due-card query waits while the cards table is locked, and keeps its connection. (Not reviews: writes that
        // arrive together go as one batch, on one connection, see PostgresGroupCommit.)
        await using var hold = await HeldTransaction.BeginAsync(settings.ConnectionString,
            "LOCK TABLE cards IN ACCESS EXCLUSIVE MODE", new Dictionary<string, object>(), Cancel);
        var requests = learners.SelectMany(learner => Enumerable.Range(0, RequestsEach).Select(_ =>
            learner.Client.GetAsync($"/api/v1/study/due?deckId={deckId}", Cancel))).ToList();
        await Eventually.ReturnsAsync(() => hold.WaitersAsync(Cancel), waiters => waiters >= LearnAppDataExtensions.RequestPoolSize);
        var whileWaiting = await BackendsAsync(settings.Database!);
        await hold.RollbackAsync(Cancel);
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, response => Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}"));
        // Pooled connections stay open for minutes, so what is open now is the most there were (the hold is one).
        var bound = LearnAppDataExtensions.RequestPoolSize + LearnAppDataExtensions.BackgroundPoolSize + 1;
        Assert.InRange(whileWaiting, LearnAppDataExtensions.RequestPoolSize + 1, bound);
        Assert.InRange(await BackendsAsync(settings.Database!), LearnAppDataExtensions.RequestPoolSize + 1, bound);
    }

    private async Task<long> BackendsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(postgres.AdminConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        return (long)(await command.ExecuteScalarAsync(Cancel))!;
    }
}
