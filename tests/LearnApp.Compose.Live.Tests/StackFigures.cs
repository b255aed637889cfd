using System.Globalization;

namespace LearnApp.Compose.Live.Tests;

/// <summary>What a profile costs: start to all-healthy time and summed container memory, printed with the test.</summary>
internal static class StackFigures
{
    public static async Task<string> MeasureAsync(ComposeStack stack, string profile, TimeSpan startToHealthy)
    {
        var running = (await stack.ContainersAsync()).Where(c => c.IsRunning).ToList();
        var memory = await Docker.MemoryMiBAsync(running.Select(c => c.Id));
        var services = string.Join(", ", running.GroupBy(c => c.Service).Select(g => $"{g.Key}x{g.Count()}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"figures: profile={profile} start-to-all-healthy={startToHealthy.TotalSeconds:0.0} s memory={memory:0} MiB containers={running.Count} ({services})");
    }
}
