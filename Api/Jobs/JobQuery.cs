using LearnApp.Data;
using LearnApp.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Api.Jobs;

/// <summary>
/// <c>/jobs/{id}</c>'s read, compiled once: clients poll it until their job ends. Only the owner's job matches, so
/// someone else's id reads as missing.
/// </summary>
internal static class JobQuery
{
    private static readonly CompiledPerModel<Func<LearnAppDbContext, Guid, Guid, CancellationToken, Task<Job?>>> s_job = new(() =>
        EF.CompileAsyncQuery((LearnAppDbContext db, Guid jobId, Guid userId, CancellationToken _) =>
            db.Jobs.AsNoTracking().SingleOrDefault(j => j.Id == jobId && j.UserId == userId)));

    public static Task<Job?> ReadAsync(LearnAppDbContext db, Guid jobId, Guid userId, CancellationToken cancellationToken) =>
        s_job.For(db)(db, jobId, userId, cancellationToken);
}
