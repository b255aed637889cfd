using System.Reflection;
using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Dashboard;
using LearnApp.Hosting.Orchestration;
using LearnApp.Hosting.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LearnApp.Hosting;

/// <summary>
/// The AppHost's builder, on top of the generic host: configuration comes from appsettings.json, user secrets,
/// environment variables and the command line. Run mode adds the orchestrator; publish mode only reads the model.
/// </summary>
public sealed class DistributedApplicationBuilder : IDistributedApplicationBuilder
{
    /// <summary>Metadata the AppHost project stamps into its assembly, so the AppHost finds its folder at run time.</summary>
    public const string ProjectDirectoryMetadataKey = "AppHostProjectDirectory";

    private static readonly Dictionary<string, string> s_switchMappings = new(StringComparer.Ordinal)
    {
        ["--operation"] = "AppHost:Operation",
        ["--publisher"] = "Publishing:Publisher",
        ["--output-path"] = "Publishing:OutputPath",
        ["--manifest"] = "Publishing:Manifest",
    };

    private readonly HostApplicationBuilder _host;

    public DistributedApplicationBuilder(DistributedApplicationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entryAssembly = Assembly.GetEntryAssembly();
        AppHostDirectory = Path.GetFullPath(options.ProjectDirectory
            ?? entryAssembly?.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == ProjectDirectoryMetadataKey)?.Value
            ?? Directory.GetCurrentDirectory());
        ApplicationName = options.ApplicationName ?? entryAssembly?.GetName().Name ?? "apphost";

        _host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = options.Args,
            ContentRootPath = AppHostDirectory,
            ApplicationName = entryAssembly?.GetName().Name,
        });
        _host.Configuration.AddCommandLine(options.Args, s_switchMappings);
        // The console reporter says what happens; the host's own start and stop notes are noise here.
        _host.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        var publisher = _host.Configuration["Publishing:Publisher"];
        var publishing = !string.IsNullOrEmpty(publisher)
            || string.Equals(_host.Configuration["AppHost:Operation"], "publish", StringComparison.OrdinalIgnoreCase);
        ExecutionContext = publishing
            ? new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish, string.IsNullOrEmpty(publisher) ? "manifest" : publisher)
            : new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run);
    }

    public ConfigurationManager Configuration => _host.Configuration;

    public IHostEnvironment Environment => _host.Environment;

    public IServiceCollection Services => _host.Services;

    public DistributedApplicationExecutionContext ExecutionContext { get; }

    public ResourceCollection Resources { get; } = [];

    public string AppHostDirectory { get; }

    /// <summary>The app's name in generated names (volumes).</summary>
    public string ApplicationName { get; }

    /// <summary>Git-ignored per-machine state: generated parameter values, database folders, build outputs.</summary>
    public string LocalStateDirectory => Path.GetFullPath(Configuration["AppHost:LocalStateDirectory"] is { Length: > 0 } configured
        ? Path.Combine(AppHostDirectory, configured)
        : Path.Combine(AppHostDirectory, ".local"));

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource
    {
        Resources.Add(resource);
        return CreateResourceBuilder(resource);
    }

    public IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource => new ResourceBuilder<T>(this, resource);

    public DistributedApplication Build()
    {
        var model = new DistributedApplicationModel([.. Resources]);
        _host.Services.AddSingleton(model);
        _host.Services.AddSingleton(ExecutionContext);
        _host.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(10));
        if (ExecutionContext.IsRunMode)
        {
            // The dashboard first: hosted services start in order, and its OTLP receiver's address goes to every service.
            _host.Services.AddDashboard(Configuration);
            _host.Services.AddOrchestration(OrchestratorOptions.FromConfiguration(Configuration, AppHostDirectory));
        }
        else
        {
            _host.Services.AddPublishing(Configuration);
        }
        return new DistributedApplication(_host.Build(), model, ExecutionContext);
    }
}
