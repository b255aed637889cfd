using LearnApp.Data;
using LearnApp.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Api.Jobs;

/// <summary>
/// <c>/jobs/{id}</c>'s read, compiled once: clients poll it until their job ends. Only the owner's job matches, so
/// someone else's id reads as missing. A compiled query binds to the first model it meets, so each provider's
/// context type gets its own.
/// </summary>
internal static class JobQuery
{
    public static Task<Job?> ReadAsync(LearnAppDbContext db, Guid jobId, Guid userId, CancellationToken cancellationToken) => db switch
    {
        PostgresLearnAppDbContext postgres => Compiled<PostgresLearnAppDbContext>.Job(postgres, jobId, userId, cancellationToken),
        SqliteLearnAppDbContext sqlite => Compiled<SqliteLearnAppDbContext>.Job(sqlite, jobId, userId, cancellationToken),
        _ => Compiled<LearnAppDbContext>.Job(db, jobId, userId, cancellationToken),
    };

    private static class Compiled<TContext> where TContext : LearnAppDbContext
    {
        public static readonly Func<TContext, Guid, Guid, CancellationToken, Task<Job?>> Job =
            EF.CompileAsyncQuery((TContext db, Guid jobId, Guid userId, CancellationToken _) =>
                db.Jobs.AsNoTracking().SingleOrDefault(j => j.Id == jobId && j.UserId == userId));
    }
}
