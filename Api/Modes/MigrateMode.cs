using LearnApp.Data;

namespace LearnApp.Api.Modes;

internal static partial class MigrateMode
{
    /// <summary>Applies migrations and seed data, then returns 0; on failure prints one line and returns 1.</summary>
    public static async Task<int> RunMigrationsAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LearnApp.Api.Migrate");
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LearnAppDbContext>();
            await DatabaseMigrator.MigrateAndSeedAsync(db, app.Lifetime.ApplicationStopping);
            LogMigrated(logger, db.Database.ProviderName ?? "unknown");
            return 0;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync($"migrate failed: {ex.GetBaseException().Message}");
            return 1;
        }
    }

    [LoggerMessage(LogLevel.Information, "Database migrated and seeded ({Provider})")]
    private static partial void LogMigrated(ILogger logger, string provider);
}
