namespace LearnApp.Tasks;

internal static class PeriodicTimerExtensions
{
    /// <summary>Waits for the next tick; false once the host is stopping, so loops end without an exception.</summary>
    public static async Task<bool> WaitForNextTickOrStopAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
