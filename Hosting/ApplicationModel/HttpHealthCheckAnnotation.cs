namespace LearnApp.Hosting.ApplicationModel;

/// <summary>
/// A run-mode HTTP health check: GET <see cref="Path"/> on the endpoint must answer <see cref="StatusCode"/>.
/// Aspire's key for it is <c>{resource}_{endpoint}_{path}_{status}_check</c>.
/// </summary>
public sealed class HttpHealthCheckAnnotation(string path, int statusCode, string endpointName) : IResourceAnnotation
{
    public string Path { get; } = path;

    public int StatusCode { get; } = statusCode;

    public string EndpointName { get; } = endpointName;

    public string Key(IResource resource) => $"{resource.Name}_{EndpointName}_{Path}_{StatusCode}_check";
}
