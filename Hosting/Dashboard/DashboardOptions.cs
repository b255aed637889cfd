using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace LearnApp.Hosting.Dashboard;

/// <summary>Config <c>Dashboard:*</c>: where the dev dashboard listens and the token that opens it.</summary>
public sealed class DashboardOptions
{
    public const int DefaultPort = 18888;

    /// <summary>Config <c>Dashboard:Enabled</c> (default true).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Config <c>Dashboard:Port</c>; 0 picks a free port.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Config <c>Dashboard:Token</c>, else a random one per run.</summary>
    public required string Token { get; init; }

    public static DashboardOptions FromConfiguration(IConfiguration configuration)
    {
        var portText = configuration["Dashboard:Port"];
        var port = DefaultPort;
        if (!string.IsNullOrEmpty(portText) && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
        {
            throw new InvalidOperationException($"Dashboard:Port '{portText}' is not a port number (0-65535).");
        }
        return new DashboardOptions
        {
            Enabled = !bool.TryParse(configuration["Dashboard:Enabled"], out var enabled) || enabled,
            Port = port,
            Token = configuration["Dashboard:Token"] is { Length: > 0 } token
                ? token
                : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        };
    }
}
