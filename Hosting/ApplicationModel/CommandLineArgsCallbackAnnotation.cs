namespace LearnApp.Hosting.ApplicationModel;

/// <summary>Adds command-line arguments; values are strings or expressions.</summary>
public sealed class CommandLineArgsCallbackAnnotation(Func<CommandLineArgsCallbackContext, Task> callback) : IResourceAnnotation
{
    public Func<CommandLineArgsCallbackContext, Task> Callback { get; } = callback;
}

public sealed class CommandLineArgsCallbackContext(DistributedApplicationExecutionContext executionContext)
{
    public DistributedApplicationExecutionContext ExecutionContext { get; } = executionContext;

    public List<object> Args { get; } = [];
}
