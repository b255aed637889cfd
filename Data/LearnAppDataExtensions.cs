using LearnApp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

public static class LearnAppDataExtensions
{
    /// <summary>The Aspire connection-string names of the contract.</summary>
    public const string PostgresConnectionName = "db";
    public const string SqliteConnectionName = "sqlite";

    /// <summary>
    /// Registers <see cref="LearnAppDbContext"/> on PostgreSQL when <c>ConnectionStrings:db</c> is set, otherwise on
    /// SQLite (<c>ConnectionStrings:sqlite</c>, default <c>learnapp.db</c> in the content root: the single topology).
    /// </summary>
    public static TBuilder AddLearnAppData<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var postgres = builder.Configuration.GetConnectionString(PostgresConnectionName);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            builder.Services.AddDbContextPool<PostgresLearnAppDbContext>(options => options.UseNpgsql(WithAutoPrepare(postgres)));
            builder.Services.AddScoped<LearnAppDbContext>(services => services.GetRequiredService<PostgresLearnAppDbContext>());
        }
        else
        {
            var sqlite = builder.Configuration.GetConnectionString(SqliteConnectionName)
                ?? $"Data Source={Path.Combine(builder.Environment.ContentRootPath, "learnapp.db")}";
            builder.Services.AddDbContextPool<SqliteLearnAppDbContext>(options => options.UseSqlite(sqlite));
            builder.Services.AddScoped<LearnAppDbContext>(services => services.GetRequiredService<SqliteLearnAppDbContext>());
        }

        builder.Services.AddHealthChecks().AddDbContextCheck<LearnAppDbContext>("database");
        return builder;
    }

    /// <summary>
    /// Turns on Npgsql's automatic preparation unless the connection string chooses: the hot queries (due cards,
    /// review, job claim) then skip PostgreSQL's parse and plan on every call.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 64;
            settings.AutoPrepareMinUsages = 2;
        }
        return settings.ConnectionString;
    }
}
