using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting;

public static class ProjectResourceBuilderExtensions
{
    /// <summary>
    /// Adds a .NET project (path relative to the AppHost folder) with an <c>http</c> endpoint. Run mode builds it
    /// once and sets <c>ASPNETCORE_URLS</c>; a manifest gets <c>HTTP_PORTS</c> instead.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddProject(this IDistributedApplicationBuilder builder, string name, string projectPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(projectPath);
        return builder.AddProject(name, new ProjectMetadataAnnotation(Path.GetFullPath(Path.Combine(builder.AppHostDirectory, projectPath))));
    }

    /// <summary>
    /// Adds the project behind a generated <c>Projects.&lt;Name&gt;</c> type: the AppHost's build generates one for
    /// each <c>ProjectReference</c> marked <c>IsAspireProjectResource="true"</c>, as Aspire's AppHost SDK does.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProject(name, new TProject());
    }

    private static IResourceBuilder<ProjectResource> AddProject(this IDistributedApplicationBuilder builder, string name, IProjectMetadata metadata)
    {
        var environmentName = builder.Environment.EnvironmentName;
        var project = builder.AddResource(new ProjectResource(name))
            .WithAnnotation(metadata)
            .WithHttpEndpoint();

        return project.WithAnnotation(new EnvironmentCallbackAnnotation(context =>
        {
            var env = context.EnvironmentVariables;
            env["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory";
            var httpEndpoints = project.Resource.GetEndpointAnnotations().Where(e => e.UriScheme is "http" or "https").ToList();
            if (context.ExecutionContext.IsRunMode)
            {
                env["ASPNETCORE_ENVIRONMENT"] = environmentName;
                env["DOTNET_ENVIRONMENT"] = environmentName;
                env["LOGGING__CONSOLE__FORMATTERNAME"] = "simple";
                if (httpEndpoints.Count > 0)
                {
                    env["ASPNETCORE_URLS"] = JoinExpressions(httpEndpoints.Select(e =>
                        ReferenceExpression.Create($"{project.GetEndpoint(e.Name).Property(EndpointProperty.Scheme)}://127.0.0.1:{project.GetEndpoint(e.Name).Property(EndpointProperty.TargetPort)}")));
                }
            }
            else if (httpEndpoints.Count > 0)
            {
                env["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true";
                foreach (var (variable, scheme) in (ReadOnlySpan<(string, string)>)[("HTTP_PORTS", "http"), ("HTTPS_PORTS", "https")])
                {
                    if (httpEndpoints.Any(e => e.UriScheme == scheme))
                    {
                        env[variable] = JoinExpressions(httpEndpoints.Where(e => e.UriScheme == scheme)
                            .Select(e => ReferenceExpression.Create($"{project.GetEndpoint(e.Name).Property(EndpointProperty.TargetPort)}")));
                    }
                }
            }
            return Task.CompletedTask;
        }));
    }

    /// <summary>Runs <paramref name="replicas"/> processes behind one stable endpoint, load-balanced in run mode.</summary>
    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        return builder.WithAnnotation(new ReplicaAnnotation(replicas));
    }

    private static ReferenceExpression JoinExpressions(IEnumerable<ReferenceExpression> parts)
    {
        var list = parts.ToList();
        return list.Count switch
        {
            1 => list[0],
            _ => list.Skip(1).Aggregate(list[0], (joined, next) => ReferenceExpression.Create($"{joined};{next}")),
        };
    }
}
