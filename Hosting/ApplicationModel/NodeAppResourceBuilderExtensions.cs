using LearnApp.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;

namespace LearnApp.Hosting;

public static class NodeAppResourceBuilderExtensions
{
    /// <summary>
    /// Adds <c>npm run &lt;scriptName&gt;</c> in <paramref name="workingDirectory"/> (relative to the AppHost folder),
    /// with <c>NODE_ENV</c> from the AppHost's environment, as Aspire 9's <c>AddNpmApp</c>.
    /// </summary>
    public static IResourceBuilder<NodeAppResource> AddNpmApp(
        this IDistributedApplicationBuilder builder, string name, string workingDirectory, string scriptName = "start", string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(workingDirectory);
        ArgumentException.ThrowIfNullOrEmpty(scriptName);
        string[] npmArgs = args is { Length: > 0 } ? ["run", scriptName, "--", .. args] : ["run", scriptName];
        var resource = new NodeAppResource(name, "npm", Path.GetFullPath(Path.Combine(builder.AppHostDirectory, workingDirectory)));
        return builder.AddResource(resource)
            .WithArgs(npmArgs)
            .WithEnvironment("NODE_ENV", builder.Environment.IsDevelopment() ? "development" : "production")
            .WithEnvironment("BROWSER", "none");
    }
}
