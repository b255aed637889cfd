using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting;

public static class ExecutableResourceBuilderExtensions
{
    /// <summary>Adds a program run as a process; <paramref name="workingDirectory"/> is relative to the AppHost folder.</summary>
    public static IResourceBuilder<ExecutableResource> AddExecutable(
        this IDistributedApplicationBuilder builder, string name, string command, string workingDirectory, params string[]? args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(workingDirectory);
        var resource = new ExecutableResource(name, command, Path.GetFullPath(Path.Combine(builder.AppHostDirectory, workingDirectory)));
        var executable = builder.AddResource(resource);
        return args is { Length: > 0 } ? executable.WithArgs(args) : executable;
    }
}
