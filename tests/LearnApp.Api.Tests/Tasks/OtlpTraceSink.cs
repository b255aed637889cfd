using System.Net;
using LearnApp.Hosting.Orchestration.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>
/// A loopback OTLP/HTTP endpoint that keeps every trace export it receives, raw. OTLP protobuf carries trace and span
/// ids as raw bytes and names as UTF-8, so a test can find a span's ids and name in the bytes without decoding.
/// </summary>
internal sealed class OtlpTraceSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<byte[]> _exports;

    private OtlpTraceSink(WebApplication app, List<byte[]> exports, Uri endpoint)
    {
        _app = app;
        _exports = exports;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static async Task<OtlpTraceSink> StartAsync()
    {
        var port = FreePort.Pick();
        var exports = new List<byte[]>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            lock (exports)
            {
                exports.Add(body.ToArray());
            }
            // An empty ExportTraceServiceResponse is zero bytes of protobuf.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return new OtlpTraceSink(app, exports, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Whether one export holds all of these byte sequences (the same batch, so the same span set).</summary>
    public bool AnyExportContainsAll(params byte[][] needles)
    {
        lock (_exports)
        {
            return _exports.Any(export => needles.All(needle => export.AsSpan().IndexOf(needle) >= 0));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
