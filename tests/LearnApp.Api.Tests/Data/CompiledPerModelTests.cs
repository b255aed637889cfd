using LearnApp.Data;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Api.Tests.Data;

/// <summary>One compiled query serving both providers' models in one process, as the test host and <see cref="CompiledPerModel{TQuery}"/>'s callers need.</summary>
public sealed class CompiledPerModelTests(PostgresServerFixture postgres) : IAsyncLifetime
{
    private readonly string _directory = TestWorkDirectory.Create("compiled");
    private ApiFactory _postgres = null!;
    private ApiFactory _sqlite = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _postgres = ApiFactory.ForPostgres(await postgres.CreateDatabaseAsync("compiled"));
        await _postgres.MigrateAsync();
        _sqlite = ApiFactory.ForSqlite(Path.Combine(_directory, "learnapp.db"));
        await _sqlite.MigrateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _postgres.DisposeAsync();
        await _sqlite.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestWorkDirectory.Delete(_directory);
    }

    [Fact]
    public async Task OneQueryAnswersOnEachProviderInTurnWhereOneCompiledQueryIsRefusedByTheSecondModel()
    {
        var displayName = new CompiledPerModel<Func<LearnAppDbContext, Guid, CancellationToken, Task<string?>>>(() =>
            EF.CompileAsyncQuery((LearnAppDbContext db, Guid id, CancellationToken _) => db.Users.Where(u => u.Id == id).Select(u => u.DisplayName).SingleOrDefault()));
        var (_, onPostgres) = await _postgres.CreateUserClientAsync("OnPostgres");
        var (_, onSqlite) = await _sqlite.CreateUserClientAsync("OnSqlite");

        for (var round = 0; round < 2; round++)
        {
            Assert.Equal("OnPostgres", await _postgres.WithDbAsync(db => displayName.For(db)(db, onPostgres, Cancel)));
            Assert.Equal("OnSqlite", await _sqlite.WithDbAsync(db => displayName.For(db)(db, onSqlite, Cancel)));
        }

        // Why it exists: EF's own compiled query keeps the model it first ran on.
        var single = EF.CompileAsyncQuery((LearnAppDbContext db, Guid id, CancellationToken _) => db.Users.Where(u => u.Id == id).Select(u => u.DisplayName).SingleOrDefault());
        Assert.Equal("OnPostgres", await _postgres.WithDbAsync(db => single(db, onPostgres, Cancel)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _sqlite.WithDbAsync(db => single(db, onSqlite, Cancel)));
    }
}
