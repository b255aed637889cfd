using System.Collections;
using System.Collections.Concurrent;

namespace LearnApp.Bench.Api;

/// <summary>
/// A service's console output: the last 200 lines (for a start that fails), and every error the service logged, counted,
/// with the first one kept whole, so a run that answered 5xx or failed jobs says why. A .NET service's errors are its
/// console logger's Error and Critical lines; another program passes what its error lines look like.
/// </summary>
internal sealed class ServiceLog(Func<string, bool>? isErrorLine = null) : IEnumerable<string>
{
    private const int Kept = 200;
    private const int FirstErrorLines = 12;
    private readonly ConcurrentQueue<string> _recent = new();
    private readonly List<string> _firstError = [];
    private int _errors;

    public int Errors => Volatile.Read(ref _errors);

    public string FirstError
    {
        get
        {
            lock (_firstError)
            {
                return string.Join('\n', _firstError);
            }
        }
    }

    public void Add(string line)
    {
        _recent.Enqueue(line);
        if (_recent.Count > Kept)
        {
            _recent.TryDequeue(out _);
        }

        var isError = (isErrorLine ?? IsConsoleLoggerError)(line);
        if (isError)
        {
            Interlocked.Increment(ref _errors);
        }
        lock (_firstError)
        {
            if ((isError && _firstError.Count == 0) || (_firstError.Count is > 0 and < FirstErrorLines && !isError))
            {
                _firstError.Add(line);
            }
        }
    }

    // The console logger's level prefixes for Error and Critical.
    private static bool IsConsoleLoggerError(string line) =>
        line.StartsWith("fail: ", StringComparison.Ordinal) || line.StartsWith("crit: ", StringComparison.Ordinal);

    public IEnumerator<string> GetEnumerator() => _recent.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
