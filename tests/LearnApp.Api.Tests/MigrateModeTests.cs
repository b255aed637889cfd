using LearnApp.Hosting.Orchestration.Processes;
using LearnApp.Testing;
using Npgsql;

namespace LearnApp.Api.Tests;

/// <summary>The one-shot <c>migrate</c> mode, run as the real executable the AppHost runs before the Api.</summary>
public sealed class MigrateModeTests(PostgresServerFixture postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MigrateAppliesMigrationsAndSeedThenExitsZeroAndIsRepeatable()
    {
        var connectionString = await postgres.CreateDatabaseAsync("migrate");

        var first = await RunApiAsync(["migrate"], connectionString);
        var second = await RunApiAsync(["migrate"], connectionString);

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.True(second.ExitCode == 0, second.Output);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM cards c JOIN decks d ON d.\"Id\" = c.\"DeckId\" WHERE d.\"Title\" = 'Greek basics'", connection);
        Assert.True((long)(await count.ExecuteScalarAsync(Cancel))! >= 200);
    }

    [Fact]
    public async Task MigrateAgainstAnUnreachableDatabaseFailsWithOneLine()
    {
        var result = await RunApiAsync(["migrate"], "Host=127.0.0.1;Port=1;Database=none;Username=x;Password=y;Timeout=2");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("migrate failed:", result.Output.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Output.Trim());
    }

    [Fact]
    public async Task AnUnknownModeExitsNonZeroWithOneLine()
    {
        var result = await RunApiAsync(["frobnicate"], connectionString: null);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("Unknown mode 'frobnicate': use api (the default), worker, scheduler or migrate.", result.Output.Trim());
    }

    private static Task<ProcessResult> RunApiAsync(string[] arguments, string? connectionString) =>
        ProcessRunner.RunToCompletionAsync(new ProcessSpec("dotnet")
        {
            Arguments = [typeof(Program).Assembly.Location, .. arguments],
            WorkingDirectory = AppContext.BaseDirectory,
            Environment = new Dictionary<string, string?>
            {
                ["ConnectionStrings__db"] = connectionString,
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        }, Cancel);
}
