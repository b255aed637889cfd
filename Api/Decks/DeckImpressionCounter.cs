using LearnApp.Tasks.Handlers;
using StackExchange.Redis;

namespace LearnApp.Api.Decks;

/// <summary>
/// Counts deck impressions in Redis (cheap, fire-and-forget); <c>sync_impressions_from_redis</c> folds them into
/// the database. Without Redis (single topology) impressions are not counted.
/// </summary>
internal sealed class DeckImpressionCounter(IServiceProvider services)
{
    private readonly IConnectionMultiplexer? _redis = services.GetService<IConnectionMultiplexer>();

    public void Count(IEnumerable<int> deckIds)
    {
        if (_redis is not { IsConnected: true })
        {
            return;
        }

        var db = _redis.GetDatabase();
        foreach (var deckId in deckIds)
        {
            db.HashIncrement(SyncImpressionsHandler.CountersKey, deckId, 1, CommandFlags.FireAndForget);
        }
    }
}
