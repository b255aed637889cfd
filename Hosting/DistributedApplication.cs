using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnApp.Hosting;

/// <summary>The built app: in run mode it starts every resource and stops them on Ctrl+C or SIGTERM.</summary>
public sealed class DistributedApplication : IHost, IAsyncDisposable
{
    private readonly IHost _host;

    internal DistributedApplication(IHost host, DistributedApplicationModel model, DistributedApplicationExecutionContext executionContext)
    {
        _host = host;
        Model = model;
        ExecutionContext = executionContext;
    }

    public static IDistributedApplicationBuilder CreateBuilder(string[] args) =>
        new DistributedApplicationBuilder(new DistributedApplicationOptions { Args = args });

    public static IDistributedApplicationBuilder CreateBuilder(DistributedApplicationOptions options) =>
        new DistributedApplicationBuilder(options);

    public IServiceProvider Services => _host.Services;

    public DistributedApplicationModel Model { get; }

    public DistributedApplicationExecutionContext ExecutionContext { get; }

    public Task StartAsync(CancellationToken cancellationToken = default) => _host.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (ExecutionContext.IsPublishMode)
        {
            await PublishAsync(cancellationToken);
            return;
        }
        await _host.RunAsync(cancellationToken);
    }

    public void Run() => RunAsync().GetAwaiter().GetResult();

    public void Dispose() => _host.Dispose();

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        var name = ExecutionContext.PublisherName ?? "manifest";
        if (_host.Services.GetKeyedService<IDistributedApplicationPublisher>(name) is not { } publisher)
        {
            await Console.Error.WriteLineAsync($"error: no publisher named '{name}' is registered in this AppHost.");
            Environment.ExitCode = 1;
            return;
        }
        try
        {
            await publisher.PublishAsync(Model, cancellationToken);
        }
        catch (Exception exception) when (exception is PublishingException or MissingParameterValueException or IOException or UnauthorizedAccessException)
        {
            // A publisher's errors are for the person at the console: one line, no stack trace, a failing exit code.
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            Environment.ExitCode = 1;
        }
    }
}
