using LearnApp.Data.Seed;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Data;

public static class DatabaseMigrator
{
    /// <summary>Applies the provider's pending migrations, then adds the built-in decks that are missing.</summary>
    public static async Task MigrateAndSeedAsync(LearnAppDbContext db, CancellationToken cancellationToken = default)
    {
        if (db.Database.IsSqlite())
        {
            // WAL lets the single topology's readers and its one writer work at the same time.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }

        await db.Database.MigrateAsync(cancellationToken);
        await DataSeeder.SeedAsync(db, cancellationToken);
    }
}
