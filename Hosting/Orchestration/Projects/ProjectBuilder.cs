using System.Security;
using System.Text;
using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Hosting.Orchestration.Projects;

/// <summary>
/// Builds every project resource in one <c>dotnet build</c> (a generated traversal project, so MSBuild builds them
/// in parallel and shared references once) and returns each project's built assembly. The orchestrator then runs
/// the assemblies with <c>dotnet</c>, never <c>dotnet run</c>.
/// </summary>
internal sealed class ProjectBuilder(string workDirectory, string configuration)
{
    private string OutputsFile => Path.Combine(workDirectory, "outputs.txt");

    public async Task<BuildResult> BuildAsync(IReadOnlyCollection<string> projectPaths, Action<string> onOutputLine, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workDirectory);
        var traversal = Path.Combine(workDirectory, "build.proj");
        await File.WriteAllTextAsync(traversal, CreateTraversal(projectPaths), cancellationToken);
        File.Delete(OutputsFile);

        var output = new List<string>();
        var result = await ProcessRunner.RunToCompletionAsync(new ProcessSpec(DotnetHost.Path)
        {
            Arguments = ["build", traversal, "--nologo", "-v", "quiet", "-c", configuration, "-p:OutputsFile=" + OutputsFile],
            WorkingDirectory = workDirectory,
            // MSBuild nodes outliving the build would hold its output open; the AppHost does not need them.
            Environment = new Dictionary<string, string?> { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            OnOutputLine = line => { lock (output) { output.Add(line); } onOutputLine(line); },
            OnErrorLine = line => { lock (output) { output.Add(line); } onOutputLine(line); },
        }, cancellationToken);

        var built = File.Exists(OutputsFile) ? await ReadOutputsAsync(cancellationToken) : new Dictionary<string, string>();
        var errorLines = output.Where(l => l.Contains(": error ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();

        // One broken project must not hold back the others: MSBuild ends each error line with "[<project file>]".
        var assemblies = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var project in projectPaths)
        {
            var error = errorLines.FirstOrDefault(l => l.EndsWith($"[{project}]", StringComparison.Ordinal));
            if (error is null && built.TryGetValue(project, out var assembly) && File.Exists(assembly))
            {
                assemblies[project] = assembly;
            }
            else
            {
                errors[project] = error ?? errorLines.FirstOrDefault() ?? $"dotnet build exited with code {result.ExitCode}";
            }
        }
        return new BuildResult(assemblies, errors);
    }

    /// <summary>
    /// Without building: the last build's outputs, else each project's <c>bin/&lt;configuration&gt;/*/&lt;name&gt;.dll</c>.
    /// </summary>
    public async Task<BuildResult> FindPrebuiltAsync(IReadOnlyCollection<string> projectPaths, CancellationToken cancellationToken)
    {
        var known = File.Exists(OutputsFile) ? await ReadOutputsAsync(cancellationToken) : new Dictionary<string, string>();
        var assemblies = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var project in projectPaths)
        {
            if (known.TryGetValue(project, out var built) && File.Exists(built))
            {
                assemblies[project] = built;
                continue;
            }
            var bin = Path.Combine(Path.GetDirectoryName(project)!, "bin", configuration);
            var name = Path.GetFileNameWithoutExtension(project) + ".dll";
            var candidate = Directory.Exists(bin)
                ? Directory.GetDirectories(bin).Select(d => Path.Combine(d, name)).Where(File.Exists).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
                : null;
            if (candidate is null)
            {
                errors[project] = $"no prebuilt {name} under {bin}: build it first or let the AppHost build it (AppHost:BuildProjects=true)";
                continue;
            }
            assemblies[project] = candidate;
        }
        return new BuildResult(assemblies, errors);
    }

    private async Task<Dictionary<string, string>> ReadOutputsAsync(CancellationToken cancellationToken)
    {
        var assemblies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in await File.ReadAllLinesAsync(OutputsFile, cancellationToken))
        {
            var separator = line.IndexOf('|', StringComparison.Ordinal);
            if (separator > 0)
            {
                assemblies[Path.GetFullPath(line[..separator])] = line[(separator + 1)..];
            }
        }
        return assemblies;
    }

    private static string CreateTraversal(IEnumerable<string> projectPaths)
    {
        var items = new StringBuilder();
        foreach (var path in projectPaths)
        {
            items.Append("    <ProjectToBuild Include=\"").Append(SecurityElement.Escape(path)).AppendLine("\" />");
        }
        return $"""
            <!-- Generated by the AppHost on every run: builds the project resources together. -->
            <Project DefaultTargets="Build">
              <ItemGroup>
            {items}  </ItemGroup>
              <Target Name="Restore">
                <MSBuild Projects="@(ProjectToBuild)" Targets="Restore" />
              </Target>
              <Target Name="Build">
                <MSBuild Projects="@(ProjectToBuild)" Targets="Build" BuildInParallel="true" ContinueOnError="ErrorAndContinue" />
                <!-- Asked separately: a failed project empties the outputs of the whole Build call. -->
                <MSBuild Projects="@(ProjectToBuild)" Targets="GetTargetPath" BuildInParallel="true" ContinueOnError="true">
                  <Output TaskParameter="TargetOutputs" ItemName="BuiltAssembly" />
                </MSBuild>
                <WriteLinesToFile File="$(OutputsFile)" Lines="@(BuiltAssembly->'%(MSBuildSourceProjectFile)|%(FullPath)')" Overwrite="true" />
              </Target>
            </Project>
            """;
    }
}

/// <summary>Per project: its built assembly, or the first error that kept it from building.</summary>
internal sealed record BuildResult(IReadOnlyDictionary<string, string> Assemblies, IReadOnlyDictionary<string, string> Errors)
{
    public static BuildResult Succeeded(IReadOnlyDictionary<string, string> assemblies) => new(assemblies, new Dictionary<string, string>());
}

internal static class DotnetHost
{
    /// <summary>The dotnet host that the SDK or the AppHost's launcher names; else <c>dotnet</c> on PATH.</summary>
    public static string Path { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
        ? host
        : "dotnet";
}
