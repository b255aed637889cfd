using System.Threading.Channels;
using LearnApp.Data.Entities;
using Microsoft.Extensions.Options;

namespace LearnApp.Tasks.InProcess;

/// <summary>
/// The in-process path: a bounded channel of jobs. When it is full, producers wait instead of growing memory; the
/// jobs table still holds every job, so nothing is lost if the process dies with jobs in the channel.
/// </summary>
public sealed class InProcessJobChannel(IOptions<TaskExecutorOptions> options)
{
    private readonly Channel<InProcessJob> _channel = Channel.CreateBounded<InProcessJob>(new BoundedChannelOptions(options.Value.ChannelCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleWriter = false,
        SingleReader = false,
    });

    public int Count => _channel.Reader.Count;

    /// <summary>A committed job to claim and run.</summary>
    public ValueTask EnqueueAsync(Guid jobId, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(new(jobId, null), cancellationToken);

    /// <summary>A job committed already claimed by this process (see <see cref="TaskDispatcher.NewJob"/>).</summary>
    public ValueTask EnqueueClaimedAsync(Job job, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(new(job.Id, job), cancellationToken);

    /// <summary>Waits until a job can be read; false once the channel is completed.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    public bool TryRead(out InProcessJob job) => _channel.Reader.TryRead(out job);
}

/// <summary>A job id, with the job itself when this process committed it already claimed.</summary>
public readonly record struct InProcessJob(Guid Id, Job? Claimed);
