using System.Net.Sockets;
using System.Text;
using LearnApp.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace LearnApp.Hosting.Orchestration;

/// <summary>Run-mode health checks, polled fast until healthy, then every few seconds.</summary>
internal static class HealthProbes
{
    private static readonly TimeSpan s_untilHealthy = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_whileHealthy = TimeSpan.FromSeconds(3);
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(3) };

    /// <summary>Every <see cref="HttpHealthCheckAnnotation"/> of the resource against this instance's own port.</summary>
    public static Task ProbeHttpAsync(IResource resource, ResourceInstance instance, Action<HealthStatus> report, CancellationToken cancellationToken)
    {
        var checks = resource.GetHttpHealthChecks().ToList();
        return PollAsync(async token =>
        {
            foreach (var check in checks)
            {
                var endpoint = resource.GetEndpointAnnotations().Single(e => e.Name == check.EndpointName);
                var url = $"{endpoint.AllocatedEndpoint?.UriScheme ?? endpoint.UriScheme}://127.0.0.1:{instance.Ports[check.EndpointName]}{check.Path}";
                using var response = await s_http.GetAsync(url, token);
                if ((int)response.StatusCode != check.StatusCode)
                {
                    return HealthStatus.Unhealthy;
                }
            }
            return HealthStatus.Healthy;
        }, report, cancellationToken);
    }

    public static async Task PollAsync(Func<CancellationToken, Task<HealthStatus>> probe, Action<HealthStatus> report, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            HealthStatus status;
            try
            {
                status = await probe(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException or NpgsqlException or TimeoutException or OperationCanceledException)
            {
                status = HealthStatus.Unhealthy;
            }
            report(status);
            try
            {
                await Task.Delay(status == HealthStatus.Healthy ? s_whileHealthy : s_untilHealthy, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Opens a connection to PostgreSQL; healthy when it opens. A refused password means the data was made with
    /// another one, which no amount of waiting mends: <paramref name="onWrongPassword"/> is told so.
    /// </summary>
    public static async Task<HealthStatus> ConnectPostgresAsync(string connectionString, Action onWrongPassword, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return HealthStatus.Healthy;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            onWrongPassword();
            return HealthStatus.Unhealthy;
        }
    }

    /// <summary>AUTH then PING over RESP; healthy on +OK, +PONG.</summary>
    public static async Task<HealthStatus> PingRedisAsync(int port, string password, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        await using var stream = client.GetStream();
        var passwordBytes = Encoding.UTF8.GetByteCount(password);
        var request = $"*2\r\n$4\r\nAUTH\r\n${passwordBytes}\r\n{password}\r\n*1\r\n$4\r\nPING\r\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var auth = await reader.ReadLineAsync(timeout.Token);
        var ping = await reader.ReadLineAsync(timeout.Token);
        return auth == "+OK" && ping == "+PONG" ? HealthStatus.Healthy : HealthStatus.Unhealthy;
    }
}
