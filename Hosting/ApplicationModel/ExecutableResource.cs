namespace LearnApp.Hosting.ApplicationModel;

/// <summary>Any program started as a process, e.g. <c>npm run dev</c>.</summary>
public class ExecutableResource(string name, string command, string workingDirectory)
    : Resource(name), IResourceWithEnvironment, IResourceWithArgs, IResourceWithServiceDiscovery, IResourceWithWaitSupport
{
    public string Command { get; } = command;

    /// <summary>An absolute path.</summary>
    public string WorkingDirectory { get; } = workingDirectory;
}

/// <summary>A Node.js app started through npm (Aspire 9's <c>NodeAppResource</c>).</summary>
public sealed class NodeAppResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory);
