namespace LearnApp.Hosting.Publishing;

/// <summary>A publisher cannot write correct output; the message names the resource or argument at fault.</summary>
public sealed class PublishingException(string message) : Exception(message);
