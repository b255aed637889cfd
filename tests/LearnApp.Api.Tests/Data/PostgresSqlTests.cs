using LearnApp.Data;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LearnApp.Api.Tests.Data;

/// <summary>The app's hand-written SQL sent as a batch with positional parameters (<see cref="PostgresSql"/>).</summary>
public sealed class PostgresSqlTests(PostgresServerFixture postgres) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Guid _userId;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = ApiFactory.ForPostgres(await postgres.CreateDatabaseAsync("sql"));
        await _api.MigrateAsync();
        (_, _userId) = await _api.CreateUserClientAsync();
    }

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task AStatementThatFailsTakesTheStatementsBeforeItInTheSameBatchWithIt()
    {
        var sql = """
            UPDATE "users" SET "Xp" = {1} WHERE "Id" = {0};
            INSERT INTO "decks" ("Id", "Title", "Language") VALUES ({2}, 'Twice', 'el');
            INSERT INTO "decks" ("Id", "Title", "Language") VALUES ({2}, 'Twice', 'el');
            """;

        var failure = await Assert.ThrowsAsync<PostgresException>(() => WithPostgres(db => PostgresSql.ExecuteAsync(db, sql, [_userId, 500, 9_001], Cancel)));

        Assert.True(DbErrors.IsUniqueViolation(failure));
        Assert.Equal(0, await _api.WithDbAsync(db => db.Users.Where(u => u.Id == _userId).Select(u => u.Xp).SingleAsync(Cancel)));
        Assert.False(await _api.WithDbAsync(db => db.Decks.AnyAsync(d => d.Id == 9_001, Cancel)));
    }

    [Fact]
    public async Task PlaceholdersAreNumberedPerStatementInOrderOfUseAndSemicolonsInQuotesStayInTheirStatement()
    {
        // {1} before {0}, {1} twice, a statement that uses no placeholder, a semicolon inside a literal.
        var sql = """
            UPDATE "users" SET "Xp" = {1}, "StreakDays" = {1} WHERE "Id" = {0};
            UPDATE "users" SET "DisplayName" = 'semi;colon' WHERE "Id" = {0} AND "Xp" = {1};UPDATE "users" SET "LastStudyDay" = {2} WHERE "Id" = {0}
            """;

        var changed = await WithPostgres(db => PostgresSql.ExecuteAsync(db, sql, [_userId, 7, new DateOnly(2026, 12, 1)], Cancel));
        var user = await _api.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == _userId, Cancel));

        Assert.Equal(3, changed);
        Assert.Equal((7, 7, "semi;colon", new DateOnly(2026, 12, 1)), (user.Xp, user.StreakDays, user.DisplayName, user.LastStudyDay));
    }

    [Fact]
    public async Task ABraceThatIsNotAPlaceholderIsRefusedBeforeAnythingIsSent()
    {
        var sql = """UPDATE "users" SET "DisplayName" = '{{x}}' WHERE "Id" = {0}""";

        await Assert.ThrowsAsync<ArgumentException>(() => WithPostgres(db => PostgresSql.ExecuteAsync(db, sql, [_userId], Cancel)));
        Assert.NotEqual("{x}", await _api.WithDbAsync(db => db.Users.Where(u => u.Id == _userId).Select(u => u.DisplayName).SingleAsync(Cancel)));
    }

    private Task<T> WithPostgres<T>(Func<PostgresLearnAppDbContext, Task<T>> work) => _api.WithDbAsync(db => work((PostgresLearnAppDbContext)db));
}
