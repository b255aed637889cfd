using System.Diagnostics;
using System.Text;

namespace LearnApp.Compose.Live.Tests;

/// <summary>
/// An open psql process: statements go in one at a time and stay in the same session, so a transaction (and its
/// row locks) lasts until <see cref="ExecuteAsync"/> ends it or the session is disposed.
/// </summary>
internal sealed class PsqlSession : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PsqlSession(Process process)
    {
        _process = process;
    }

    public static PsqlSession Start(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var session = new PsqlSession(new Process { StartInfo = start });
        session._process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (session._output) { session._output.AppendLine(e.Data); } } };
        session._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (session._output) { session._output.AppendLine(e.Data); } } };
        session._process.Start();
        session._process.BeginOutputReadLine();
        session._process.BeginErrorReadLine();
        return session;
    }

    /// <summary>Sends the statements, then a marker query, and returns once the marker came back (so they ran).</summary>
    public async Task<string> ExecuteAsync(string sql, TimeSpan timeout)
    {
        var marker = $"done-{Guid.NewGuid():N}";
        int start;
        lock (_output)
        {
            start = _output.Length;
        }
        await _process.StandardInput.WriteLineAsync(sql);
        await _process.StandardInput.WriteLineAsync($"SELECT '{marker}';");
        await _process.StandardInput.FlushAsync();
        var text = await Eventually.ReturnsAsync("psql to run the statements", timeout, () =>
        {
            lock (_output)
            {
                var all = _output.ToString(start, _output.Length - start);
                if (_process.HasExited && !all.Contains(marker, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"psql exited with {_process.ExitCode}: {all}");
                }
                return Task.FromResult(all.Contains(marker, StringComparison.Ordinal) ? all : null);
            }
        });
        return text[..text.IndexOf(marker, StringComparison.Ordinal)];
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
