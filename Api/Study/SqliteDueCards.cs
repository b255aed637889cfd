using LearnApp.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.ObjectPool;

namespace LearnApp.Api.Study;

/// <summary>
/// GET due on SQLite: the SQL EF generates for <see cref="StudyQueries"/>' LINQ due query, on connections kept open
/// with the command prepared. Microsoft.Data.Sqlite keeps a compiled statement only for the command that compiled it
/// (dotnet/efcore#14044), and EF makes a new command per query, so SQLite parsed and planned this query on every GET:
/// a fifth of the single topology's Api samples in perf (sqlite3RunParser, the resolver, the planner) against ~6 % for
/// running it. A test holds the two queries to the same answers. Writes stay on EF's connections.
/// </summary>
internal sealed class SqliteDueCards : IDisposable
{
    // The shape is the LINQ query's (see StudyQueries.Compiled.DueCards).
    private const string Sql = """
        SELECT "u"."CardId", "u"."Front", "u"."Back", CASE WHEN "u"."New" THEN NULL ELSE "u"."DueAt" END
        FROM (
            SELECT "s"."CardId", "s"."Front", "s"."Back", "s"."DueAt", "s"."New"
            FROM (
                SELECT "c0"."Id" AS "CardId", "c0"."Front", "c0"."Back", "c"."DueAt", 0 AS "New"
                FROM "card_review_states" AS "c"
                INNER JOIN "cards" AS "c0" ON "c"."CardId" = "c0"."Id"
                WHERE "c"."UserId" = @userId AND "c"."DeckId" = @deckId AND "c"."DueAt" <= @now
                ORDER BY "c"."DueAt", "c"."CardId"
                LIMIT @take
            ) AS "s"
            UNION ALL
            SELECT "c3"."CardId", "c3"."Front", "c3"."Back", "c3"."DueAt", "c3"."New"
            FROM (
                SELECT "c1"."Id" AS "CardId", "c1"."Front", "c1"."Back", @now AS "DueAt", 1 AS "New"
                FROM "cards" AS "c1"
                WHERE "c1"."DeckId" = @deckId AND NOT EXISTS (
                    SELECT 1 FROM "card_review_states" AS "c2" WHERE "c2"."UserId" = @userId AND "c2"."CardId" = "c1"."Id")
                ORDER BY "c1"."Id"
                LIMIT @take
            ) AS "c3"
        ) AS "u"
        ORDER BY "u"."New", "u"."DueAt", "u"."CardId"
        LIMIT @take
        """;

    private readonly Lock _gate = new();
    private ObjectPool<PreparedDueQuery>? _pool;

    public async Task<List<DueCard>> ReadAsync(
        SqliteLearnAppDbContext db, int deckId, Guid userId, DateTime now, int take, CancellationToken cancellationToken)
    {
        var pool = PoolFor(db);
        var query = pool.Get();
        var keep = false;
        try
        {
            // As EF binds them: the Guid as upper-case text, the time as SQLite's ISO text (UTC, as every LearnApp time).
            query.UserId.Value = userId;
            query.DeckId.Value = deckId;
            query.Now.Value = now;
            query.Take.Value = take;
            var due = new List<DueCard>(take);
            await using (var reader = await query.Command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    due.Add(new DueCard(reader.GetInt32(0), reader.GetString(1), reader.GetString(2),
                        reader.IsDBNull(3) ? null : DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc)));
                }
            }
            keep = true;
            return due;
        }
        finally
        {
            // A query that failed part-way gives up its connection rather than hand a doubtful one to the next request.
            if (keep)
            {
                pool.Return(query);
            }
            else
            {
                query.Dispose();
            }
        }
    }

    private ObjectPool<PreparedDueQuery> PoolFor(SqliteLearnAppDbContext db)
    {
        if (Volatile.Read(ref _pool) is { } pool)
        {
            return pool;
        }
        lock (_gate)
        {
            // One database per process (the single topology's); the context's connection string, so the same file.
            // Up to two prepared queries per core (ObjectPool's default); what it cannot keep it disposes, so the GETs in
            // flight at once beyond that open a connection and compile the query once, as EF's path does every time.
            return _pool ??= new DefaultObjectPoolProvider().Create(new Policy(db.Database.GetConnectionString()
                ?? throw new InvalidOperationException("The SQLite context has no connection string.")));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            // The provider makes a disposable pool for disposable objects: it closes the connections it keeps.
            (_pool as IDisposable)?.Dispose();
            _pool = null;
        }
    }

    /// <summary>An open connection with the due query compiled on it, used by one request at a time.</summary>
    private sealed class PreparedDueQuery : IDisposable
    {
        private readonly SqliteConnection _connection;

        public PreparedDueQuery(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
            SqliteBusyTimeout.Apply(_connection);
            Command = new SqliteCommand(Sql, _connection);
            UserId = Command.Parameters.Add("@userId", SqliteType.Text);
            DeckId = Command.Parameters.Add("@deckId", SqliteType.Integer);
            Now = Command.Parameters.Add("@now", SqliteType.Text);
            Take = Command.Parameters.Add("@take", SqliteType.Integer);
            Command.Prepare();
        }

        public SqliteCommand Command { get; }

        public SqliteParameter UserId { get; }

        public SqliteParameter DeckId { get; }

        public SqliteParameter Now { get; }

        public SqliteParameter Take { get; }

        public void Dispose()
        {
            Command.Dispose();
            _connection.Dispose();
        }
    }

    private sealed class Policy(string connectionString) : IPooledObjectPolicy<PreparedDueQuery>
    {
        public PreparedDueQuery Create() => new(connectionString);

        public bool Return(PreparedDueQuery query) => true;
    }
}
