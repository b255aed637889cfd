using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace LearnApp.Tasks.Queue;

/// <summary>
/// Part of <c>/health</c> (ready), never of <c>/alive</c>: a Redis outage is no reason to restart a process. Whether
/// it makes the process unready depends on the role, through the registration's failure status (see
/// <see cref="Microsoft.Extensions.Hosting.TasksServiceExtensions"/>).
/// </summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"PING answered in {latency.TotalMilliseconds:F1} ms."));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis does not answer.", ex);
        }
    }
}
