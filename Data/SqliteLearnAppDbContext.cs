using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LearnApp.Data;

/// <summary>The model on SQLite (single topology); migrations in <c>Migrations/Sqlite</c>.</summary>
public sealed class SqliteLearnAppDbContext(DbContextOptions<SqliteLearnAppDbContext> options) : LearnAppDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite keeps timestamps as ISO text without a kind; every LearnApp timestamp is UTC, so say so on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    // Internal, not private: the compiled model (CompiledModels/Sqlite) constructs it.
    internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without a database file.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteLearnAppDbContext>
{
    public SqliteLearnAppDbContext CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<SqliteLearnAppDbContext>().UseSqlite("Data Source=design.db").Options);
}
