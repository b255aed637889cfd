using LearnApp.Tasks.Execution;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Tasks.Handlers;

public sealed record AwardXpPayload(Guid UserId, int Xp);

/// <summary>Adds XP to a user. Runs in the job's transaction, so a redelivered job cannot award twice.</summary>
public sealed class AwardXpHandler : ITaskHandler
{
    public string TaskType => TaskNames.AwardXp;

    public async Task<object?> ExecuteAsync(TaskExecution execution, CancellationToken cancellationToken)
    {
        var payload = TaskPayload.Read<AwardXpPayload>(execution.Job);
        var updated = await execution.Db.Users.Where(u => u.Id == payload.UserId)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.Xp, u => u.Xp + payload.Xp), cancellationToken);
        if (updated == 0)
        {
            throw new PermanentTaskException($"User {payload.UserId} does not exist.");
        }

        return new { payload.Xp };
    }
}
