namespace LearnApp.Compose.Live.Tests;

/// <summary>Polls a real condition until it holds or the deadline passes; the failure names what was awaited.</summary>
internal static class Eventually
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task<T> ReturnsAsync<T>(string what, TimeSpan timeout, Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                last = ex;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}." +
                    (last is null ? string.Empty : $" Last error: {last.Message}"));
            }
            await Task.Delay(s_pollInterval, TestContext.Current.CancellationToken);
        }
    }

    public static Task HoldsAsync(string what, TimeSpan timeout, Func<Task<bool>> condition) =>
        ReturnsAsync<object>(what, timeout, async () => await condition() ? new object() : null);
}
