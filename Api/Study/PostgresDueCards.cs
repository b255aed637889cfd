using LearnApp.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LearnApp.Api.Study;

/// <summary>
/// GET due on PostgreSQL: the SQL EF generates for <see cref="StudyQueries"/>' LINQ due query, sent with positional
/// parameters. EF names its parameters (<c>@deckId</c>), so Npgsql parses and rewrites the command text on every
/// execution to number them; for this 1.4 KB query that was a fifth of a GET's allocations (a StringBuilder and the
/// rewritten string; dotnet-trace gc-verbose under the bench's GET load). Unnamed parameters send the text as it is.
/// A test holds the two queries to the same answers.
/// </summary>
internal static class PostgresDueCards
{
    // $1 user, $2 deck, $3 now, $4 take. The shape is the LINQ query's (see StudyQueries.Compiled.DueCards).
    private const string Sql = """
        SELECT u."CardId", u."Front", u."Back", CASE WHEN u."New" THEN NULL ELSE u."DueAt" END
        FROM (
            SELECT s."CardId", s."Front", s."Back", s."DueAt", s."New"
            FROM (
                SELECT c0."Id" AS "CardId", c0."Front", c0."Back", c."DueAt", FALSE AS "New"
                FROM card_review_states AS c
                INNER JOIN cards AS c0 ON c."CardId" = c0."Id"
                WHERE c."UserId" = $1 AND c."DeckId" = $2 AND c."DueAt" <= $3
                ORDER BY c."DueAt", c."CardId"
                LIMIT $4
            ) AS s
            UNION ALL
            SELECT c3."CardId", c3."Front", c3."Back", c3."DueAt", c3."New"
            FROM (
                SELECT c1."Id" AS "CardId", c1."Front", c1."Back", $3 AS "DueAt", TRUE AS "New"
                FROM cards AS c1
                WHERE c1."DeckId" = $2 AND NOT EXISTS (
                    SELECT 1 FROM card_review_states AS c2 WHERE c2."UserId" = $1 AND c2."CardId" = c1."Id")
                ORDER BY c1."Id"
                LIMIT $4
            ) AS c3
        ) AS u
        ORDER BY u."New", u."DueAt", u."CardId"
        LIMIT $4
        """;

    public static async Task<List<DueCard>> ReadAsync(
        PostgresLearnAppDbContext db, int deckId, Guid userId, DateTime now, int take, CancellationToken cancellationToken)
    {
        // The context's own connection: the request pool's settings and multiplexing, as EF's queries have.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(Sql, (NpgsqlConnection)db.Database.GetDbConnection())
            {
                Parameters =
                {
                    new NpgsqlParameter<Guid> { TypedValue = userId },
                    new NpgsqlParameter<int> { TypedValue = deckId },
                    new NpgsqlParameter<DateTime> { TypedValue = now },
                    new NpgsqlParameter<int> { TypedValue = take },
                },
            };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var due = new List<DueCard>(take);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(new DueCard(reader.GetInt32(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTime>(3)));
            }
            return due;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
