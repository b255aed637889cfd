using LearnApp.Data;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnApp.Api.Tests.Data;

/// <summary>
/// What the Api asks of PostgreSQL per pool: a request's commit keeps the server's setting (waiting for its WAL flush,
/// as deployed), background work's (job runs, which the sweeper redoes if a crash loses them) does not wait. Read back
/// from the server, not from the connection string. The suite's throwaway server itself runs with it off, so the
/// request pool is checked for not setting it.
/// </summary>
public sealed class CommitDurabilityTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task RequestsWaitForTheWalFlushAndBackgroundWorkDoesNot()
    {
        await using var api = ApiFactory.ForPostgres(await postgres.CreateDatabaseAsync("durability"));
        await api.MigrateAsync();
        await using var scope = api.Services.CreateAsyncScope();

        var request = await SynchronousCommitAsync(scope.ServiceProvider.GetRequiredService<LearnAppDbContext>());
        var background = await SynchronousCommitAsync(scope.ServiceProvider.GetBackgroundDbContext());

        Assert.NotEqual("client", request.Source);
        Assert.Equal(("off", "client"), (background.Setting, background.Source));
    }

    private static Task<SettingRow> SynchronousCommitAsync(LearnAppDbContext db) =>
        db.Database.SqlQueryRaw<SettingRow>("SELECT setting AS \"Setting\", source AS \"Source\" FROM pg_settings WHERE name = 'synchronous_commit'")
            .SingleAsync(TestContext.Current.CancellationToken);

    private sealed record SettingRow(string Setting, string Source);
}
