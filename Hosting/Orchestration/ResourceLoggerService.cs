using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace LearnApp.Hosting.Orchestration;

public sealed record LogLine(long LineNumber, DateTimeOffset Timestamp, string Content, bool IsErrorMessage);

/// <summary>The console output of every resource instance: a ring buffer each, streamed to watchers (the dashboard).</summary>
public sealed class ResourceLoggerService
{
    /// <summary>The dashboard's default <c>MaxConsoleLogCount</c>.</summary>
    public const int MaxLinesPerInstance = 10_000;

    private readonly ConcurrentDictionary<string, InstanceLog> _logs = new(StringComparer.Ordinal);

    public void Write(string instanceId, string content, bool isError) => Get(instanceId).Add(content, isError);

    public IReadOnlyList<LogLine> GetLines(string instanceId) => Get(instanceId).Snapshot();

    /// <summary>The buffered lines, then each new line until <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<LogLine> WatchAsync(string instanceId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var log = Get(instanceId);
        var channel = Channel.CreateUnbounded<LogLine>(new UnboundedChannelOptions { SingleReader = true });
        foreach (var line in log.Subscribe(channel))
        {
            yield return line;
        }
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var line))
                {
                    yield return line;
                }
            }
        }
        finally
        {
            log.Unsubscribe(channel);
        }
    }

    private InstanceLog Get(string instanceId) => _logs.GetOrAdd(instanceId, _ => new InstanceLog());

    private sealed class InstanceLog
    {
        private readonly Lock _lock = new();
        private readonly Queue<LogLine> _lines = new();
        private readonly List<Channel<LogLine>> _watchers = [];
        private long _lineNumber;

        public void Add(string content, bool isError)
        {
            lock (_lock)
            {
                var line = new LogLine(++_lineNumber, DateTimeOffset.UtcNow, content, isError);
                _lines.Enqueue(line);
                if (_lines.Count > MaxLinesPerInstance)
                {
                    _lines.Dequeue();
                }
                foreach (var watcher in _watchers)
                {
                    watcher.Writer.TryWrite(line);
                }
            }
        }

        public LogLine[] Snapshot()
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }

        public LogLine[] Subscribe(Channel<LogLine> channel)
        {
            lock (_lock)
            {
                _watchers.Add(channel);
                return [.. _lines];
            }
        }

        public void Unsubscribe(Channel<LogLine> channel)
        {
            lock (_lock)
            {
                _watchers.Remove(channel);
            }
        }
    }
}
