using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LearnApp.Api.Tests;

/// <summary>Warnings and worse that the app logged, kept in memory so a test can assert what an operator would see.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> AtLeast(LogLevel level) =>
        [.. _entries.Where(e => e.Level >= level)];

    /// <summary>Fails, listing them, if anything was logged at <paramref name="level"/> or worse.</summary>
    public void AssertNoneAtLeast(LogLevel level)
    {
        var entries = AtLeast(level);
        Assert.True(entries.Count == 0, string.Join("\n---\n", entries.Select(e => $"{e.Category}: {e.Message}")));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                logs._entries.Enqueue((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
