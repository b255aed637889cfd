using System.Globalization;
using LearnApp.Hosting.Orchestration.Network;
using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Bench.Api;

/// <summary>
/// The scaled topology's front door: nginx round robin over the Api replicas with keep-alive upstream connections,
/// as the compose deployment's frontend nginx proxies to its Api replicas, so the bench pays the hop the deployed
/// stack pays. It is part of the load side, not of the stack: its CPU is reported apart and its memory is not counted.
/// </summary>
internal sealed class NginxBalancer(RunningProcess process, Uri address) : IAsyncDisposable
{
    public Uri Address => address;

    public int ProcessId => process.Id;

    public static async Task<NginxBalancer> StartAsync(string workDirectory, IReadOnlyList<Uri> replicas, HttpClient probe)
    {
        var directory = Path.Combine(workDirectory, "nginx");
        Directory.CreateDirectory(directory);
        var port = FreePort.Pick();
        var upstreams = string.Concat(replicas.Select(r => $"    server {r.Authority};\n"));
        var config = Path.Combine(directory, "nginx.conf");
        // As root, nginx's workers run as nobody: they only need the sockets, every buffer stays in memory.
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            worker_processes auto;
            pid {{directory}}/nginx.pid;
            error_log stderr warn;
            events { worker_connections 1024; }
            http {
              access_log off;
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
        var log = new List<string>();
        var process = await ProcessRunner.StartAsync(new ProcessSpec(Wrk.Find("nginx", "/usr/sbin/nginx"))
        {
            Arguments = ["-c", config, "-p", directory],
            OnErrorLine = line => { lock (log) { log.Add(line); } },
        });
        var balancer = new NginxBalancer(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"));
        await Services.WaitHealthyAsync(probe, balancer.Address, process, log);
        return balancer;
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
