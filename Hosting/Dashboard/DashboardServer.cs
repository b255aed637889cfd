using System.Net;
using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Dashboard.Otlp;
using LearnApp.Hosting.Dashboard.Telemetry;
using LearnApp.Hosting.Orchestration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LearnApp.Hosting.Dashboard;

/// <summary>
/// The dev dashboard: a small Kestrel app on 127.0.0.1 inside the AppHost, reading the orchestrator's state and
/// console-log services and running the stop/start/restart commands through the orchestrator, plus the OTLP
/// receiver every service exports to. It starts before the orchestrator, so the services get the receiver's bound
/// address. Failing to bind the dashboard's port is one line on stderr; the app runs on without it (and without telemetry).
/// </summary>
public sealed class DashboardServer(
    DashboardOptions options,
    OrchestratorOptions orchestratorOptions,
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    TelemetryStore telemetry,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime) : IHostedService, IAsyncDisposable
{
    private WebApplication? _web;
    private OtlpReceiver? _receiver;
    private CancellationTokenSource? _announcing;

    /// <summary>The base URL, once listening (e.g. <c>http://127.0.0.1:18888</c>).</summary>
    public string? Url { get; private set; }

    public string LoginUrl => $"{Url}/login?t={Uri.EscapeDataString(options.Token)}";

    /// <summary>The OTLP receiver's gRPC and HTTP addresses, once listening.</summary>
    public (Uri Grpc, Uri Http)? OtlpEndpoints => _receiver is { } r ? (r.GrpcEndpoint, r.HttpEndpoint) : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(DashboardServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddSingleton(notifications);
        builder.Services.AddSingleton(logs);
        builder.Services.AddSingleton(commands);
        builder.Services.AddSingleton(new ResourceViewFactory(model));
        builder.Services.AddSingleton(telemetry);
        builder.Services.AddProblemDetails();
        var web = builder.Build();
        web.UseDashboardAuthentication(options);
        web.MapDashboardApi();
        web.MapTelemetryApi();
        web.MapDashboardUi();

        try
        {
            await web.StartAsync(cancellationToken);
        }
        catch (IOException exception)
        {
            await Console.Error.WriteLineAsync($"error: the dashboard could not listen on 127.0.0.1:{options.Port} ({exception.Message}); set Dashboard:Port to a free port. The app runs without it.");
            await web.DisposeAsync();
            return;
        }
        _web = web;
        Url = web.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await StartReceiverAsync(cancellationToken);
        _announcing = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        _ = AnnounceAsync(_announcing.Token);
    }

    /// <summary>The configured OTLP ports, or free ones when those are taken: telemetry must not depend on a lucky port.</summary>
    private async Task StartReceiverAsync(CancellationToken cancellationToken)
    {
        try
        {
            _receiver = await OtlpReceiver.StartAsync(options.OtlpGrpcEndpoint, options.OtlpHttpEndpoint, options.OtlpApiKey, telemetry, cancellationToken);
        }
        catch (IOException exception)
        {
            try
            {
                _receiver = await OtlpReceiver.StartAsync(WithFreePort(options.OtlpGrpcEndpoint), WithFreePort(options.OtlpHttpEndpoint), options.OtlpApiKey, telemetry, cancellationToken);
            }
            catch (IOException second)
            {
                await Console.Error.WriteLineAsync($"error: the dashboard's OTLP receiver could not listen ({second.Message}); the app runs without telemetry in the dashboard.");
                return;
            }
            await Console.Error.WriteLineAsync($"warning: the OTLP ports {options.OtlpGrpcEndpoint.Port}/{options.OtlpHttpEndpoint.Port} are taken ({exception.Message}); "
                + $"the dashboard receives telemetry on {_receiver.GrpcEndpoint} (gRPC) and {_receiver.HttpEndpoint} (HTTP) instead.");
        }
        orchestratorOptions.UseOtlpReceiver(_receiver.GrpcEndpoint.ToString().TrimEnd('/'), "grpc", options.OtlpApiKey);
    }

    private static Uri WithFreePort(Uri endpoint) => new UriBuilder(endpoint) { Port = 0 }.Uri;

    /// <summary>Prints the login link once every resource has settled, so it comes after their status lines.</summary>
    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in notifications.WatchAsync(cancellationToken))
            {
                var all = notifications.GetCurrentSnapshots();
                if (all.All(s => ResourceNotificationService.IsRunningAndHealthy(s) || KnownResourceStates.IsTerminal(s.State)))
                {
                    break;
                }
            }
            // Let the console reporter print its line for the same event first.
            await Task.Yield();
            Console.WriteLine($"dashboard: {LoginUrl}");
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_announcing is not null)
        {
            await _announcing.CancelAsync();
        }
        if (_web is not null)
        {
            // Open streams end with the app's stopping token; whatever is still open after a moment is cut.
            using var briefly = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            briefly.CancelAfter(TimeSpan.FromMilliseconds(300));
            await _web.StopAsync(briefly.Token);
        }
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
            _receiver = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _announcing?.Dispose();
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
        if (_web is not null)
        {
            await _web.DisposeAsync();
        }
    }
}
