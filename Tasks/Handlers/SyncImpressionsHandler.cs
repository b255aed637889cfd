using System.Globalization;
using LearnApp.Tasks.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LearnApp.Tasks.Handlers;

/// <summary>
/// Folds the Api's Redis impression counters into <c>deck_impressions</c>. The counters are first renamed to a
/// batch key named after the job, so new counts keep accumulating apart, and a retried job folds the same batch
/// (and a committed one never runs again). Batches expire on their own, so nothing needs to run after the commit.
/// </summary>
public sealed class SyncImpressionsHandler(IServiceProvider services, IOptions<TaskExecutorOptions> options) : ITaskHandler
{
    private static readonly TimeSpan s_batchLifetime = TimeSpan.FromDays(1);

    public string TaskType => TaskNames.SyncImpressionsFromRedis;

    public async Task<object?> ExecuteAsync(TaskExecution execution, CancellationToken cancellationToken)
    {
        var redis = services.GetService<IConnectionMultiplexer>()
            ?? throw new PermanentTaskException("Impressions live in Redis, and no Redis connection is configured.");
        var cache = redis.GetDatabase();
        var countersKey = options.Value.ImpressionsKey;
        var batchKey = $"{countersKey}:batch:{execution.Job.Id}";
        if (!await cache.KeyExistsAsync(batchKey) && await cache.KeyExistsAsync(countersKey))
        {
            await cache.KeyRenameAsync(countersKey, batchKey);
            await cache.KeyExpireAsync(batchKey, s_batchLifetime);
        }

        var counters = await cache.HashGetAllAsync(batchKey);
        var counts = counters
            .Select(c => (Ok: int.TryParse(c.Name.ToString(), CultureInfo.InvariantCulture, out var deckId), DeckId: deckId, Count: (long)c.Value))
            .Where(c => c.Ok && c.Count > 0)
            .ToDictionary(c => c.DeckId, c => c.Count);
        if (counts.Count == 0)
        {
            return new { Decks = 0, Impressions = 0L };
        }

        // One upsert for the whole batch, in the job's transaction; counters of decks that no longer exist find no
        // deck to join and are dropped. Both providers name a VALUES list's columns column1, column2, and SQLite
        // wants a WHERE on an upsert's SELECT to parse it.
        var arguments = new List<object>((2 * counts.Count) + 1);
        var rows = new List<string>(counts.Count);
        foreach (var (deckId, count) in counts)
        {
            rows.Add($"({{{arguments.Count}}}, {{{arguments.Count + 1}}})");
            arguments.Add(deckId);
            arguments.Add(count);
        }
        arguments.Add(DateTime.UtcNow);
        var upsert = $$"""
            INSERT INTO "deck_impressions" ("DeckId", "Count", "UpdatedAt")
            SELECT d."Id", v.column2, {{{arguments.Count - 1}}}
            FROM (VALUES {{string.Join(", ", rows)}}) AS v
            JOIN "decks" AS d ON d."Id" = v.column1
            WHERE true
            ON CONFLICT ("DeckId") DO UPDATE SET "Count" = "deck_impressions"."Count" + excluded."Count", "UpdatedAt" = excluded."UpdatedAt"
            """;
        var decks = await execution.Db.Database.ExecuteSqlRawAsync(upsert, arguments, cancellationToken);
        // Impressions: what the batch held, those of dropped decks included; decks: the rows folded into.
        return new { Decks = decks, Impressions = counts.Values.Sum() };
    }
}
