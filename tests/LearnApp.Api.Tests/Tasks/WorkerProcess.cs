using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>The real <c>LearnApp.Api worker</c> executable, started as a child process with its own consumer name.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly RunningProcess _process;
    private readonly ServerLogLines _log;

    private WorkerProcess(RunningProcess process, ServerLogLines log)
    {
        _process = process;
        _log = log;
    }

    public int ProcessId => _process.Id;

    public string Log => _log.ToString();

    public static async Task<WorkerProcess> StartAsync(string name, IReadOnlyDictionary<string, string?> settings)
    {
        var log = new ServerLogLines();
        var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        environment["Tasks__ExecutorName"] = name;
        environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var process = await ProcessRunner.StartAsync(new ProcessSpec("dotnet")
        {
            Arguments = [typeof(Program).Assembly.Location, "worker"],
            WorkingDirectory = AppContext.BaseDirectory,
            Environment = environment,
            OnOutputLine = log.Add,
            OnErrorLine = log.Add,
        });
        return new WorkerProcess(process, log);
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash or the OOM killer.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.Exited;
    }

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();

    private sealed class ServerLogLines
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public void Add(string line)
        {
            _lines.Enqueue(line);
            while (_lines.Count > 300 && _lines.TryDequeue(out _))
            {
            }
        }

        public override string ToString() => string.Join('\n', _lines);
    }
}
