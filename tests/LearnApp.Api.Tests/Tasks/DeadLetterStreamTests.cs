using LearnApp.Tasks;
using LearnApp.Tasks.Queue;
using LearnApp.Testing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>The dead-letter stream on real Redis: bounded, the oldest entries dropped first.</summary>
public sealed class DeadLetterStreamTests(RedisServerFixture redis)
{
    [Fact]
    public async Task TheDeadLetterStreamKeepsOnlyTheNewestEntriesUpToItsBound()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var options = new TaskExecutorOptions { DeadLetterStreamKey = $"test:{Guid.NewGuid():N}:dead", DeadLetterMaxLength = 3 };
        var streams = new RedisJobStreams(connection, Options.Create(options));
        var jobs = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();

        foreach (var job in jobs)
        {
            await streams.DeadLetterAsync(new StreamEntry("0-1", [new(RedisJobStreams.JobField, job.ToString()), new(RedisJobStreams.TypeField, TaskNames.AwardXp)]), "failed");
        }
        var kept = await connection.GetDatabase().StreamRangeAsync(options.DeadLetterStreamKey);

        Assert.Equal(3, await streams.DeadLetterCountAsync());
        Assert.Equal(jobs.Skip(2).Select(j => j.ToString()), kept.Select(e => e[RedisJobStreams.JobField].ToString()));
    }
}
