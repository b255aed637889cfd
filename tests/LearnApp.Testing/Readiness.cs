using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Testing;

internal static class Readiness
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Polls <paramref name="probe"/> until it succeeds, the server process exits (then its log is in the error),
    /// or <paramref name="timeout"/> passes.
    /// </summary>
    public static async Task WaitAsync(string serverName, RunningProcess server, Func<Task> probe, Func<string> log, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        Exception? lastError = null;
        while (!deadline.IsCancellationRequested)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException(
                    $"{serverName} exited with code {await server.Exited} before it was ready:\n{log()}");
            }

            try
            {
                await probe();
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                lastError = ex;
            }

            try
            {
                await Task.Delay(s_pollInterval, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        throw new TimeoutException($"{serverName} was not ready after {timeout.TotalSeconds} s ({lastError?.Message}):\n{log()}");
    }
}
