namespace LearnApp.Data;

/// <summary>
/// Runs a multi-statement SQL command so that all of it commits or none does, in the fewest round trips each provider
/// allows. PostgreSQL runs it as one batch, one implicit transaction (one round trip, no BEGIN/COMMIT; <see cref="PostgresSql"/>);
/// SQLite runs the statements one by one, so there it gets an explicit transaction (no round trips to save on a local
/// file), shared by the writes that wait for the writer together (<see cref="SqliteGroupCommit"/>). Used by the hot
/// writes that replaced SaveChanges (a review, an upload), each with its job row.
/// </summary>
public static class AllOrNothingSql
{
    public static async Task ExecuteAsync(LearnAppDbContext db, string sql, object?[] parameters, CancellationToken cancellationToken)
    {
        if (db is PostgresLearnAppDbContext postgres)
        {
            await PostgresSql.ExecuteAsync(postgres, sql, parameters, cancellationToken);
            return;
        }

        await SqliteGroupCommit.ExecuteAsync(db, sql, parameters, cancellationToken);
    }
}
