namespace LearnApp.Data;

/// <summary>
/// Runs a multi-statement SQL command so that all of it commits or none does, in the fewest round trips and commits
/// each provider allows. Used by the hot writes that replaced SaveChanges (a review, an upload), each with its job row,
/// and by an enqueued job's row. The writes that arrive together commit together (<see cref="WriteGroups"/>): on
/// PostgreSQL as one batch, one implicit transaction (no BEGIN/COMMIT; <see cref="PostgresSql"/>); on SQLite, which
/// runs statements one by one, in an explicit transaction with a savepoint per write. Inside a transaction the caller
/// opened, PostgreSQL runs the command in it alone; SQLite refuses (its writer's turn is held by that transaction).
/// </summary>
public static class AllOrNothingSql
{
    public static Task ExecuteAsync(LearnAppDbContext db, string sql, object?[] parameters, CancellationToken cancellationToken) => db switch
    {
        PostgresLearnAppDbContext postgres when postgres.Database.CurrentTransaction is not null =>
            PostgresSql.ExecuteAsync(postgres, sql, parameters, cancellationToken),
        PostgresLearnAppDbContext postgres => PostgresGroupCommit.ExecuteAsync(postgres, sql, parameters, cancellationToken),
        _ => SqliteGroupCommit.ExecuteAsync(db, sql, parameters, cancellationToken),
    };
}
