using LearnApp.Tasks.Execution;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LearnApp.Tasks.Scheduling;

/// <summary>
/// Leadership among scheduler replicas: a Redis key set with NX and an expiry (the lease). The holder renews it
/// before it runs out; a holder that dies simply stops renewing, and another replica takes over after the lease.
/// Renewal and release check the value first (in one script), so nobody extends or deletes another's lease.
/// </summary>
public sealed partial class LeaderLease(
    IConnectionMultiplexer redis,
    ExecutorIdentity identity,
    IOptions<SchedulerOptions> options,
    ILogger<LeaderLease> logger)
{
    private const string RenewScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end
        """;

    private volatile bool _isLeader;

    public bool IsLeader => _isLeader;

    public string InstanceName => identity.Name;

    /// <summary>Takes the lease when it is free, or renews it when held; returns whether this instance leads now.</summary>
    public async Task<bool> TryAcquireOrRenewAsync()
    {
        var settings = options.Value;
        var db = redis.GetDatabase();
        bool leads;
        try
        {
            var renewed = (long)await db.ScriptEvaluateAsync(RenewScript, [settings.LockKey],
                [identity.Name, (long)settings.LeaseDuration.TotalMilliseconds]) == 1;
            leads = renewed || await db.StringSetAsync(settings.LockKey, identity.Name, settings.LeaseDuration, When.NotExists);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Without Redis nobody can prove leadership; stepping down is the safe side.
            LogLeaseCheckFailed(logger, ex);
            leads = false;
        }

        if (leads != _isLeader)
        {
            LogLeadershipChanged(logger, identity.Name, leads ? "became" : "is no longer");
        }
        _isLeader = leads;
        return leads;
    }

    public async Task ReleaseAsync()
    {
        if (!_isLeader)
        {
            return;
        }

        _isLeader = false;
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [options.Value.LockKey], [identity.Name]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogLeaseCheckFailed(logger, ex);
        }
    }

    [LoggerMessage(LogLevel.Information, "Scheduler instance {Instance} {Change} the leader")]
    private static partial void LogLeadershipChanged(ILogger logger, string instance, string change);

    [LoggerMessage(LogLevel.Warning, "Could not check the scheduler lease")]
    private static partial void LogLeaseCheckFailed(ILogger logger, Exception exception);
}
