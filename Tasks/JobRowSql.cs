using LearnApp.Data.Entities;

namespace LearnApp.Tasks;

/// <summary>
/// The INSERT of a job row, with every column <see cref="TaskDispatcher.NewJob"/> sets (a job for the in-process route
/// is written already claimed). The review and upload writers send it in the same command as their own rows (the
/// outbox); <see cref="TaskDispatcher.EnqueueAsync"/> sends it alone. Raw SQL, not SaveChanges: the same text on both
/// providers, and a process that only enqueues (the scheduler) never loads EF's change tracking and update pipeline.
/// </summary>
public static class JobRowSql
{
    /// <summary>The statement, its placeholders numbered from <paramref name="first"/> in the order of <see cref="Values"/>.</summary>
    public static string Insert(int first)
    {
        string P(int index) => $"{{{first + index}}}";
        return "INSERT INTO \"jobs\" (\"Id\", \"Type\", \"Status\", \"UserId\", \"Payload\", \"Attempts\", \"CreatedAt\", \"DispatchedAt\", "
            + "\"DispatchedTo\", \"TraceParent\", \"StartedAt\", \"ExecutedBy\", \"LeaseExpiresAt\")\n"
            + $"VALUES ({P(0)}, {P(1)}, {P(2)}, {P(3)}, {P(4)}, {P(5)}, {P(6)}, {P(7)}, {P(8)}, {P(9)}, {P(10)}, {P(11)}, {P(12)});\n";
    }

    public static object?[] Values(Job job) =>
    [
        job.Id, job.Type, job.Status.ToString(), job.UserId, job.Payload, job.Attempts, job.CreatedAt, job.DispatchedAt,
        job.DispatchedTo, job.TraceParent, job.StartedAt, job.ExecutedBy, job.LeaseExpiresAt,
    ];
}
