using System.Globalization;
using LearnApp.Data.Entities;
using LearnApp.Tasks.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LearnApp.Tasks.Handlers;

/// <summary>
/// Folds the Api's Redis impression counters into <c>deck_impressions</c>. The counters are first renamed to a
/// batch key named after the job, so new counts keep accumulating apart, and a retried job folds the same batch
/// (and a committed one never runs again). Batches expire on their own, so nothing needs to run after the commit.
/// </summary>
public sealed class SyncImpressionsHandler(IServiceProvider services) : ITaskHandler
{
    public const string CountersKey = "learnapp:impressions:decks";
    private static readonly TimeSpan s_batchLifetime = TimeSpan.FromDays(1);

    public string TaskType => TaskNames.SyncImpressionsFromRedis;

    public async Task<object?> ExecuteAsync(TaskExecution execution, CancellationToken cancellationToken)
    {
        var redis = services.GetService<IConnectionMultiplexer>()
            ?? throw new PermanentTaskException("Impressions live in Redis, and no Redis connection is configured.");
        var cache = redis.GetDatabase();
        var batchKey = $"learnapp:impressions:batch:{execution.Job.Id}";
        if (!await cache.KeyExistsAsync(batchKey) && await cache.KeyExistsAsync(CountersKey))
        {
            await cache.KeyRenameAsync(CountersKey, batchKey);
            await cache.KeyExpireAsync(batchKey, s_batchLifetime);
        }

        var counters = await cache.HashGetAllAsync(batchKey);
        var counts = counters
            .Select(c => (Ok: int.TryParse(c.Name.ToString(), CultureInfo.InvariantCulture, out var deckId), DeckId: deckId, Count: (long)c.Value))
            .Where(c => c.Ok && c.Count > 0)
            .ToDictionary(c => c.DeckId, c => c.Count);
        var db = execution.Db;
        var knownDecks = await db.Decks.Where(d => counts.Keys.Contains(d.Id)).Select(d => d.Id).ToListAsync(cancellationToken);
        var rows = await db.DeckImpressions.Where(i => knownDecks.Contains(i.DeckId)).ToDictionaryAsync(i => i.DeckId, cancellationToken);
        var now = DateTime.UtcNow;
        long total = 0;
        foreach (var deckId in knownDecks)
        {
            if (!rows.TryGetValue(deckId, out var row))
            {
                row = new DeckImpression { DeckId = deckId };
                db.DeckImpressions.Add(row);
            }
            row.Count += counts[deckId];
            row.UpdatedAt = now;
            total += counts[deckId];
        }

        return new { Decks = knownDecks.Count, Impressions = total };
    }
}
