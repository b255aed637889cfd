using System.Data;
using LearnApp.Data;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace LearnApp.Api.Tests.Data;

/// <summary>
/// The Api's pools know PostgreSQL's built-in types without reading the catalog (see
/// LearnAppDataExtensions.ConfigureDataSource): a type that only the catalog knows stays unknown to them, while a data
/// source with Npgsql's defaults lists it.
/// </summary>
public sealed class TypeLoadingTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task NeitherPoolReadsTheCatalogsTypes()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var database = await postgres.CreateDatabaseAsync("typeloading");
        await using (var defaults = NpgsqlDataSource.Create(database))
        {
            await using var create = defaults.CreateCommand("CREATE TYPE lesson_mood AS ENUM ('calm', 'eager')");
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var defaults = NpgsqlDataSource.Create(database))
        {
            await using var connection = await defaults.OpenConnectionAsync(cancellationToken);
            Assert.Contains(DataTypeNames(connection), name => name.Contains("lesson_mood", StringComparison.Ordinal));
        }
        await using var api = ApiFactory.ForPostgres(database);
        await api.MigrateAsync();
        await using var scope = api.Services.CreateAsyncScope();

        foreach (var db in new[] { scope.ServiceProvider.GetRequiredService<LearnAppDbContext>(), scope.ServiceProvider.GetBackgroundDbContext() })
        {
            // A transaction binds the multiplexed pool's connection to a physical one, as the background pool's is.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var names = DataTypeNames((NpgsqlConnection)db.Database.GetDbConnection());

            Assert.Contains("uuid", names);
            Assert.DoesNotContain(names, name => name.Contains("lesson_mood", StringComparison.Ordinal));
        }
    }

    private static List<string> DataTypeNames(NpgsqlConnection connection) =>
        connection.GetSchema("DataTypes").Rows.Cast<DataRow>().Select(row => (string)row["TypeName"]).ToList();
}
