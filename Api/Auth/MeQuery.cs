using LearnApp.Data;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Api.Auth;

/// <summary>
/// <c>/me</c>'s read, compiled once as the study queries are: clients poll it (the light-task bench does, back to
/// back), and an uncompiled query builds its expression tree and looks it up in EF's cache on every call.
/// </summary>
internal static class MeQuery
{
    private static readonly CompiledPerModel<Func<LearnAppDbContext, Guid, CancellationToken, Task<MeResponse?>>> s_me = new(() =>
        EF.CompileAsyncQuery((LearnAppDbContext db, Guid userId, CancellationToken _) =>
            db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new MeResponse(u.Id, u.Email, u.DisplayName, u.Xp, u.StreakDays))
                .SingleOrDefault()));

    public static Task<MeResponse?> ReadAsync(LearnAppDbContext db, Guid userId, CancellationToken cancellationToken) =>
        s_me.For(db)(db, userId, cancellationToken);
}
