using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LearnApp.Data;

/// <summary>The model on PostgreSQL (simple and scaled topologies); migrations in <c>Migrations/Postgres</c>.</summary>
public sealed class PostgresLearnAppDbContext(DbContextOptions<PostgresLearnAppDbContext> options) : LearnAppDbContext(options);

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without a running database.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresLearnAppDbContext>
{
    public PostgresLearnAppDbContext CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<PostgresLearnAppDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
