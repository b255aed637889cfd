using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace LearnApp.Hosting.Orchestration;

/// <summary>Run-mode settings, from the AppHost's configuration (<c>AppHost:*</c> and Aspire's dashboard variables).</summary>
public sealed class OrchestratorOptions
{
    public required string AppHostDirectory { get; init; }

    /// <summary>Git-ignored per-machine state (database folders, build outputs). Config <c>AppHost:LocalStateDirectory</c>.</summary>
    public required string LocalStateDirectory { get; init; }

    /// <summary>Config <c>AppHost:BuildProjects</c> (default true); false runs the projects' existing build output.</summary>
    public bool BuildProjects { get; init; } = true;

    /// <summary>Config <c>AppHost:Configuration</c>; by default the AppHost's own build configuration.</summary>
    public string Configuration { get; init; } = "Debug";

    /// <summary>Config <c>AppHost:ShowLogs</c>: echo every resource's console output, prefixed with its instance.</summary>
    public bool ShowLogs { get; init; }

    /// <summary>
    /// Where every service sends telemetry: the dashboard's OTLP endpoint (<c>ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL</c> for
    /// gRPC, <c>…_HTTP_ENDPOINT_URL</c>), or what the dev dashboard's receiver reported through <see cref="UseOtlpReceiver"/>.
    /// </summary>
    public string? OtlpEndpointUrl { get; private set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; private set; } = "grpc";

    /// <summary>Config <c>AppHost:OtlpApiKey</c>: sent as <c>x-otlp-api-key</c>. A secret: masked wherever env is shown.</summary>
    public string? OtlpApiKey { get; private set; }

    /// <summary>
    /// Config <c>AppHost:ContainerRuntime</c>: <c>auto</c> (default) runs PostgreSQL and Redis as containers where
    /// docker answers and the image is local, else natively; <c>none</c> always runs them natively.
    /// </summary>
    public bool UseContainers { get; init; } = true;

    /// <summary>How long Ctrl+C/SIGTERM may take to stop everything.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Points every service at the dev dashboard's receiver. The dashboard starts before the orchestrator and calls
    /// this once it listens, so the address is the bound one (a busy configured port falls back to a free one).
    /// </summary>
    public void UseOtlpReceiver(string endpointUrl, string protocol, string? apiKey)
    {
        OtlpEndpointUrl = endpointUrl;
        OtlpProtocol = protocol;
        OtlpApiKey = apiKey;
    }

    public static OrchestratorOptions FromConfiguration(IConfiguration configuration, string appHostDirectory)
    {
        var grpc = configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] ?? configuration["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"];
        var http = configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] ?? configuration["DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"];
        return new OrchestratorOptions
        {
            AppHostDirectory = appHostDirectory,
            LocalStateDirectory = Path.GetFullPath(configuration["AppHost:LocalStateDirectory"] is { Length: > 0 } local
                ? Path.Combine(appHostDirectory, local)
                : Path.Combine(appHostDirectory, ".local")),
            BuildProjects = !bool.TryParse(configuration["AppHost:BuildProjects"], out var build) || build,
            Configuration = configuration["AppHost:Configuration"]
                ?? Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
                ?? "Debug",
            ShowLogs = bool.TryParse(configuration["AppHost:ShowLogs"], out var show) && show,
            OtlpEndpointUrl = string.IsNullOrEmpty(grpc) ? (string.IsNullOrEmpty(http) ? null : http) : grpc,
            OtlpProtocol = string.IsNullOrEmpty(grpc) && !string.IsNullOrEmpty(http) ? "http/protobuf" : "grpc",
            OtlpApiKey = configuration["AppHost:OtlpApiKey"],
            UseContainers = configuration["AppHost:ContainerRuntime"] switch
            {
                null or "" or "auto" => true,
                "none" => false,
                var other => throw new InvalidOperationException($"AppHost:ContainerRuntime is '{other}': use auto or none."),
            },
        };
    }
}
