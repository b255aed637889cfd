using System.Collections.Concurrent;

namespace LearnApp.Testing;

/// <summary>The last lines a server wrote, kept for error messages when it fails to start.</summary>
internal sealed class ServerLog
{
    private const int MaxLines = 200;
    private readonly ConcurrentQueue<string> _lines = new();

    public void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > MaxLines && _lines.TryDequeue(out _))
        {
        }
    }

    public override string ToString() => string.Join('\n', _lines);
}
