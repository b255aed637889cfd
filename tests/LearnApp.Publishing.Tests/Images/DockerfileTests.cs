using System.Text.RegularExpressions;

namespace LearnApp.Publishing.Tests.Images;

/// <summary>
/// What can be checked without a Docker engine: every image is multi-stage, takes its base images as build arguments
/// defaulting to the official images, ends as a numeric non-root user and has a HEALTHCHECK. (No image is built here.)
/// </summary>
public sealed partial class DockerfileTests
{
    [Theory]
    [InlineData("Api/Dockerfile", "mcr.microsoft.com/dotnet/aspnet:10.0")]
    [InlineData("Frontend/Dockerfile", "docker.io/nginxinc/nginx-unprivileged:")]
    public void An_image_is_multi_stage_non_root_and_health_checked(string dockerfile, string finalBase)
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, dockerfile)).Select(l => l.Trim()).ToList();

        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.True(stages.Count >= 2, $"{dockerfile} is not multi-stage");
        Assert.All(stages, from => Assert.Matches(@"^FROM \$\{[A-Z_]+\} AS \w+$", from));
        Assert.Contains(lines, l => l.StartsWith("ARG ", StringComparison.Ordinal) && l.Contains(finalBase, StringComparison.Ordinal));

        var finalStage = lines.Skip(lines.LastIndexOf(stages[^1])).ToList();
        var user = finalStage.LastOrDefault(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotNull(user);
        Assert.Matches(NonRootUser(), user);
        Assert.Contains(finalStage, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_Api_image_has_modes_with_api_as_the_default()
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, "Api", "Dockerfile"));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"LearnApp.Api.dll\"]", text, StringComparison.Ordinal);
        Assert.Contains("CMD [\"api\"]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_project_the_image_builds_is_copied_into_the_build_stage()
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, "Api", "Dockerfile"));
        foreach (var reference in ProjectClosure(Path.Combine(Repository.Root, "Api", "LearnApp.Api.csproj")))
        {
            var folder = Path.GetRelativePath(Repository.Root, Path.GetDirectoryName(reference)!);
            Assert.Contains($"COPY {folder}/ {folder}/", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void azd_finds_the_AppHost_through_azure_yaml()
    {
        var azure = YamlDocuments.ParseSingle(File.ReadAllText(Path.Combine(Repository.Root, "azure.yaml")))!;
        var app = Assert.Single(azure["services"]!.AsObject()).Value!;
        Assert.Equal("dotnet", app["language"]!.GetValue<string>());
        Assert.Equal("containerapp", app["host"]!.GetValue<string>());
        var project = Path.Combine(Repository.Root, app["project"]!.GetValue<string>());
        Assert.True(File.Exists(project));
        Assert.Contains("<ProjectCapability Include=\"Aspire\" />", File.ReadAllText(project), StringComparison.Ordinal);
    }

    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }
            foreach (Match reference in ProjectReference().Matches(File.ReadAllText(current)))
            {
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, reference.Groups[1].Value.Replace('\\', '/'))));
            }
        }
        return seen;
    }

    [GeneratedRegex(@"^USER [1-9][0-9]*$")]
    private static partial Regex NonRootUser();

    [GeneratedRegex(@"<ProjectReference Include=""([^""]+)""")]
    private static partial Regex ProjectReference();
}
