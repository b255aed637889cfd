using LearnApp.Data;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Api.Auth;

/// <summary>
/// <c>/me</c>'s read, compiled once as the study queries are: clients poll it (the light-task bench does, back to
/// back), and an uncompiled query builds its expression tree and looks it up in EF's cache on every call.
/// A compiled query binds to the first model it meets, so each provider's context type gets its own.
/// </summary>
internal static class MeQuery
{
    public static Task<MeResponse?> ReadAsync(LearnAppDbContext db, Guid userId, CancellationToken cancellationToken) => db switch
    {
        PostgresLearnAppDbContext postgres => Compiled<PostgresLearnAppDbContext>.Me(postgres, userId, cancellationToken),
        SqliteLearnAppDbContext sqlite => Compiled<SqliteLearnAppDbContext>.Me(sqlite, userId, cancellationToken),
        _ => Compiled<LearnAppDbContext>.Me(db, userId, cancellationToken),
    };

    private static class Compiled<TContext> where TContext : LearnAppDbContext
    {
        public static readonly Func<TContext, Guid, CancellationToken, Task<MeResponse?>> Me =
            EF.CompileAsyncQuery((TContext db, Guid userId, CancellationToken _) =>
                db.Users.AsNoTracking().Where(u => u.Id == userId)
                    .Select(u => new MeResponse(u.Id, u.Email, u.DisplayName, u.Xp, u.StreakDays))
                    .SingleOrDefault());
    }
}
