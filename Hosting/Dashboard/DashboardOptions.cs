using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace LearnApp.Hosting.Dashboard;

/// <summary>Config <c>Dashboard:*</c>: where the dev dashboard listens, the token that opens it, and its OTLP receiver.</summary>
public sealed class DashboardOptions
{
    public const int DefaultPort = 18888;

    /// <summary>Aspire's standalone dashboard defaults: gRPC on 18889, HTTP/protobuf on 18890.</summary>
    public const string DefaultOtlpGrpcEndpointUrl = "http://127.0.0.1:18889";

    public const string DefaultOtlpHttpEndpointUrl = "http://127.0.0.1:18890";

    /// <summary>Config <c>Dashboard:Enabled</c> (default true).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Config <c>Dashboard:Port</c>; 0 picks a free port.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Config <c>Dashboard:Token</c>, else a random one per run.</summary>
    public required string Token { get; init; }

    /// <summary>
    /// Where the OTLP/gRPC receiver listens: <c>ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL</c> (or the legacy
    /// <c>DOTNET_DASHBOARD_OTLP_ENDPOINT_URL</c>), as Aspire. A busy port falls back to a free one.
    /// </summary>
    public Uri OtlpGrpcEndpoint { get; init; } = new(DefaultOtlpGrpcEndpointUrl);

    /// <summary>Where the OTLP/HTTP (protobuf) receiver listens: <c>ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL</c>.</summary>
    public Uri OtlpHttpEndpoint { get; init; } = new(DefaultOtlpHttpEndpointUrl);

    /// <summary>
    /// The key exporters must send as <c>x-otlp-api-key</c>: config <c>AppHost:OtlpApiKey</c> (Aspire's name), else
    /// random per run; null when <c>Dashboard:Otlp:AuthMode</c> is <c>Unsecured</c>.
    /// </summary>
    public string? OtlpApiKey { get; init; }

    /// <summary>How much telemetry is kept in memory; the oldest goes first.</summary>
    public TelemetryLimits TelemetryLimits { get; init; } = new();

    public static DashboardOptions FromConfiguration(IConfiguration configuration)
    {
        var portText = configuration["Dashboard:Port"];
        var port = DefaultPort;
        if (!string.IsNullOrEmpty(portText) && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
        {
            throw new InvalidOperationException($"Dashboard:Port '{portText}' is not a port number (0-65535).");
        }
        var authMode = configuration["Dashboard:Otlp:AuthMode"] ?? "ApiKey";
        if (!authMode.Equals("ApiKey", StringComparison.OrdinalIgnoreCase) && !authMode.Equals("Unsecured", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Dashboard:Otlp:AuthMode '{authMode}' is not ApiKey or Unsecured.");
        }
        return new DashboardOptions
        {
            Enabled = !bool.TryParse(configuration["Dashboard:Enabled"], out var enabled) || enabled,
            Port = port,
            Token = configuration["Dashboard:Token"] is { Length: > 0 } token
                ? token
                : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            OtlpGrpcEndpoint = ReadEndpoint(configuration, "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "DOTNET_DASHBOARD_OTLP_ENDPOINT_URL", DefaultOtlpGrpcEndpointUrl),
            OtlpHttpEndpoint = ReadEndpoint(configuration, "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", DefaultOtlpHttpEndpointUrl),
            OtlpApiKey = authMode.Equals("Unsecured", StringComparison.OrdinalIgnoreCase)
                ? null
                : configuration["AppHost:OtlpApiKey"] is { Length: > 0 } key ? key : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            TelemetryLimits = TelemetryLimits.FromConfiguration(configuration.GetSection("Dashboard:TelemetryLimits")),
        };
    }

    private static Uri ReadEndpoint(IConfiguration configuration, string name, string legacyName, string fallback)
    {
        var text = configuration[name] is { Length: > 0 } value ? value : configuration[legacyName] is { Length: > 0 } legacy ? legacy : fallback;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new InvalidOperationException($"{name} '{text}' is not an http:// URL (the receiver does not serve TLS).");
        }
        return uri;
    }
}

/// <summary>Config <c>Dashboard:TelemetryLimits:*</c>, with Aspire's names where it has one.</summary>
public sealed class TelemetryLimits
{
    /// <summary>Structured log entries kept across every resource.</summary>
    public int MaxLogCount { get; init; } = 10_000;

    /// <summary>Spans kept across every resource; traces are the spans still kept, grouped.</summary>
    public int MaxSpanCount { get; init; } = 20_000;

    /// <summary>Samples kept per instrument (one per export, so 600 is ten minutes at the dev interval of 1 s).</summary>
    public int MaxMetricsCount { get; init; } = 600;

    /// <summary>Instruments kept across every resource instance; new ones beyond it are dropped.</summary>
    public int MaxInstrumentCount { get; init; } = 2_000;

    /// <summary>Attributes kept per log entry, span or data point.</summary>
    public int MaxAttributeCount { get; init; } = 128;

    /// <summary>Characters kept per attribute value or log message.</summary>
    public int MaxAttributeLength { get; init; } = 4_096;

    public static TelemetryLimits FromConfiguration(IConfiguration section) => new()
    {
        MaxLogCount = Read(section, nameof(MaxLogCount), 10_000),
        MaxSpanCount = Read(section, nameof(MaxSpanCount), 20_000),
        MaxMetricsCount = Read(section, nameof(MaxMetricsCount), 600),
        MaxInstrumentCount = Read(section, nameof(MaxInstrumentCount), 2_000),
        MaxAttributeCount = Read(section, nameof(MaxAttributeCount), 128),
        MaxAttributeLength = Read(section, nameof(MaxAttributeLength), 4_096),
    };

    private static int Read(IConfiguration section, string name, int fallback)
    {
        var text = section[name];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"Dashboard:TelemetryLimits:{name} '{text}' is not a positive whole number.");
    }
}
