namespace LearnApp.Hosting.Orchestration;

/// <summary>A resource could not start; the message names the cause and the fix in one line.</summary>
internal sealed class ResourceStartException(string message, Exception? inner = null) : Exception(message, inner);
