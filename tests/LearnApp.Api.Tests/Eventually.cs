namespace LearnApp.Api.Tests;

/// <summary>Polls a real condition (never a fixed sleep) until it holds or the timeout passes.</summary>
internal static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The condition still did not hold after {(timeout ?? TimeSpan.FromSeconds(15)).TotalSeconds} s; last value: {value}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(25));
        }
    }
}
