using System.Globalization;
using LearnApp.Hosting.Orchestration.Network;
using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Bench.Api;

/// <summary>
/// The scaled topology's front door: nginx round robin over the Api replicas with keep-alive upstream connections,
/// as the compose deployment's frontend nginx proxies to its Api replicas, so the bench pays the hop the deployed
/// stack pays. It is part of the load side, not of the stack: its CPU is reported apart and its memory is not counted.
/// </summary>
internal sealed class NginxBalancer(RunningProcess process, Uri address, ServiceLog log, string timingLog) : IAsyncDisposable
{
    public Uri Address => address;

    /// <summary>
    /// Where a request's time goes between the load generator and the Apis, for one request in 16 (the last hex digit
    /// of nginx's random request id): nginx's whole time for it and its upstream's (sending to an Api and reading the
    /// answer back), one line each, written unbuffered so a phase's lines are in the file when its wrk run ends.
    /// nginx counts in whole milliseconds.
    /// </summary>
    public ProxyTimingLog Timings { get; } = new(timingLog);

    /// <summary>
    /// nginx's own errors: a request it answers itself (a 502 when an upstream connection closes under it, say)
    /// leaves no line in any Api's log, only here.
    /// </summary>
    public ServiceLog Log => log;

    public int ProcessId => process.Id;

    public static async Task<NginxBalancer> StartAsync(string workDirectory, IReadOnlyList<Uri> replicas, HttpClient probe)
    {
        var directory = Path.Combine(workDirectory, "nginx");
        Directory.CreateDirectory(directory);
        var port = FreePort.Pick();
        var upstreams = string.Concat(replicas.Select(r => $"    server {r.Authority};\n"));
        var config = Path.Combine(directory, "nginx.conf");
        var timingLog = Path.Combine(directory, "timing.log");
        // As root, nginx's workers run as nobody: they only need the sockets, every buffer stays in memory.
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            worker_processes auto;
            pid {{directory}}/nginx.pid;
            error_log stderr warn;
            events { worker_connections 1024; }
            http {
              map $request_id $timing_sample { "~0$" 1; default 0; }
              log_format timing '$request_method $uri $status $request_time $upstream_response_time';
              access_log {{timingLog}} timing if=$timing_sample;
              client_body_temp_path {{directory}}/body;
              proxy_temp_path {{directory}}/proxy;
              upstream api {
            {{upstreams}}    keepalive 64;
              }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://api;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                }
              }
            }
            """));
        var log = new ServiceLog(IsErrorLine);
        var process = await ProcessRunner.StartAsync(new ProcessSpec(Wrk.Find("nginx", "/usr/sbin/nginx"))
        {
            Arguments = ["-c", config, "-p", directory],
            OnOutputLine = log.Add,
            OnErrorLine = log.Add,
        });
        var balancer = new NginxBalancer(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), log, timingLog);
        await Services.WaitHealthyAsync(probe, balancer.Address, process, log);
        return balancer;
    }

    // nginx's levels at error_log's "warn" and above; warnings are worth reading too (a full upstream pool, say).
    private static bool IsErrorLine(string line) =>
        line.Contains(" [warn] ", StringComparison.Ordinal) || line.Contains(" [error] ", StringComparison.Ordinal)
        || line.Contains(" [crit] ", StringComparison.Ordinal) || line.Contains(" [alert] ", StringComparison.Ordinal)
        || line.Contains(" [emerg] ", StringComparison.Ordinal);

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
