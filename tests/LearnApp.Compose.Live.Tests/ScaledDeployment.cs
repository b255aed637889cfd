using System.Diagnostics;

namespace LearnApp.Compose.Live.Tests;

/// <summary>The scaled profile (Api x2, two workers, the scheduler), up once for the tests of its class.</summary>
public sealed class ScaledDeployment : IAsyncLifetime
{
    public const int Workers = 2;

    /// <summary>postgres, cache, migrator, api x2, frontend, scheduler and the workers.</summary>
    public const int Containers = 7 + Workers;

    public static readonly TimeSpan HealthyTimeout = TimeSpan.FromMinutes(4);

    private ComposeStack? _stack;

    internal ComposeStack Stack => _stack ?? throw new InvalidOperationException("The scaled stack was skipped.");

    public string Figures { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        if (LiveImages.SkipRequested)
        {
            return;
        }
        _stack = await ComposeStack.CreateAsync("scaled");
        try
        {
            var clock = Stopwatch.StartNew();
            await _stack.UpAsync(scaled: true, Workers);
            await _stack.WaitHealthyAsync(HealthyTimeout, Containers);
            Figures = await StackFigures.MeasureAsync(_stack, "scaled", clock.Elapsed);
        }
        catch
        {
            // A fixture that fails to start is not disposed by the runner: take the stack down here.
            await _stack.DisposeAsync();
            _stack = null;
            throw;
        }
    }

    /// <summary>Brings back whatever an earlier test stopped or killed, and waits until all is healthy.</summary>
    public async Task RestoreAsync()
    {
        await Stack.UpAsync(scaled: true, Workers);
        await Stack.WaitHealthyAsync(HealthyTimeout, Containers);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
