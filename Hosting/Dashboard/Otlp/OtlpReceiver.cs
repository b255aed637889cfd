using System.Net;
using System.Security.Cryptography;
using System.Text;
using LearnApp.Hosting.Dashboard.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LearnApp.Hosting.Dashboard.Otlp;

/// <summary>
/// The dashboard's OTLP receiver: gRPC on an HTTP/2-only port (h2c needs that) and HTTP/protobuf on an HTTP/1.1 port,
/// both into one <see cref="TelemetryStore"/>. With an API key every request must carry it as <c>x-otlp-api-key</c>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    public const string ApiKeyHeaderName = "x-otlp-api-key";

    private readonly WebApplication _web;

    private OtlpReceiver(WebApplication web, Uri grpcEndpoint, Uri httpEndpoint)
    {
        _web = web;
        GrpcEndpoint = grpcEndpoint;
        HttpEndpoint = httpEndpoint;
    }

    /// <summary>Where OTLP/gRPC is received, e.g. <c>http://127.0.0.1:18889</c>.</summary>
    public Uri GrpcEndpoint { get; }

    /// <summary>Where OTLP/HTTP is received (POST <c>/v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>).</summary>
    public Uri HttpEndpoint { get; }

    /// <summary>Listens on both endpoints (port 0 picks a free one); a busy port throws <see cref="IOException"/>.</summary>
    public static async Task<OtlpReceiver> StartAsync(Uri grpcEndpoint, Uri httpEndpoint, string? apiKey, TelemetryStore store, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(OtlpReceiver).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        ListenOptions? grpcListener = null, httpListener = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(ToEndPoint(grpcEndpoint), listen => (grpcListener = listen).Protocols = HttpProtocols.Http2);
            kestrel.Listen(ToEndPoint(httpEndpoint), listen => (httpListener = listen).Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddGrpc();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton<OtlpIngestion>();
        var web = builder.Build();
        if (apiKey is not null)
        {
            web.Use(RequireApiKey(apiKey));
        }
        web.MapGrpcService<OtlpTraceService>();
        web.MapGrpcService<OtlpLogsService>();
        web.MapGrpcService<OtlpMetricsService>();
        web.MapOtlpHttp();
        try
        {
            await web.StartAsync(cancellationToken);
        }
        catch
        {
            await web.DisposeAsync();
            throw;
        }
        // Kestrel writes the bound port (for port 0, the one it got) back into the listen options.
        return new OtlpReceiver(web, Bound(grpcEndpoint, grpcListener!), Bound(httpEndpoint, httpListener!));
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync(CancellationToken.None);
        await _web.DisposeAsync();
    }

    /// <summary>401 without the key: gRPC clients read that as Unauthenticated, HTTP exporters as a failed export.</summary>
    private static Func<HttpContext, RequestDelegate, Task> RequireApiKey(string apiKey)
    {
        var expected = Encoding.UTF8.GetBytes(apiKey);
        return (context, next) =>
        {
            var given = Encoding.UTF8.GetBytes(context.Request.Headers[ApiKeyHeaderName].ToString());
            if (CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return next(context);
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return context.Response.WriteAsync($"Send the OTLP API key in the '{ApiKeyHeaderName}' header.");
        };
    }

    private static IPEndPoint ToEndPoint(Uri endpoint)
    {
        var address = endpoint.IsLoopback && !IPAddress.TryParse(endpoint.Host, out _)
            ? IPAddress.Loopback
            : IPAddress.TryParse(endpoint.Host, out var parsed) ? parsed : IPAddress.Loopback;
        return new IPEndPoint(address, endpoint.Port);
    }

    private static Uri Bound(Uri configured, ListenOptions listener) =>
        new UriBuilder(configured) { Port = listener.IPEndPoint!.Port, Path = "" }.Uri;
}
