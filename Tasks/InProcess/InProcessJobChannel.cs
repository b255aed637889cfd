using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace LearnApp.Tasks.InProcess;

/// <summary>
/// The in-process path: a bounded channel of job ids. When it is full, producers wait instead of growing memory;
/// the jobs table still holds every job, so nothing is lost if the process dies with ids in the channel.
/// </summary>
public sealed class InProcessJobChannel(IOptions<TaskExecutorOptions> options)
{
    private readonly Channel<Guid> _channel = Channel.CreateBounded<Guid>(new BoundedChannelOptions(options.Value.ChannelCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleWriter = false,
        SingleReader = false,
    });

    public int Count => _channel.Reader.Count;

    public ValueTask EnqueueAsync(Guid jobId, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(jobId, cancellationToken);

    public IAsyncEnumerable<Guid> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);
}
