using System.Text.Json.Nodes;
using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting.Publishing.Deployment;

/// <summary>
/// Builds what to deploy from an Aspire manifest: from the AppHost's own model (with its hints: replicas, health
/// checks, waits, profiles), or from any manifest alone, inferring only what is safe and saying what it could not know.
/// </summary>
public static class DeploymentModelBuilder
{
    private static readonly string[] s_serviceTypes = ["project.v0", "project.v1", "container.v0", "container.v1", "dockerfile.v0"];
    private static readonly string[] s_valueTypes = ["parameter.v0", "value.v0", "annotated.string"];

    /// <summary>The AppHost's model: its manifest written for <paramref name="outputDirectory"/> plus its hints.</summary>
    public static async Task<DeploymentModel> FromAppModelAsync(
        DistributedApplicationModel model, DistributedApplicationExecutionContext executionContext, string outputDirectory, DeploymentTarget target)
    {
        var manifest = await new ManifestWriter(executionContext, outputDirectory).WriteAsync(model);
        return FromManifest(manifest, outputDirectory, outputDirectory, target, DeploymentHints.FromModel(model));
    }

    /// <summary>A manifest file's content; paths in it are relative to <paramref name="manifestDirectory"/>.</summary>
    public static DeploymentModel FromManifest(
        JsonObject manifest, string manifestDirectory, string outputDirectory, DeploymentTarget target,
        IReadOnlyDictionary<string, ResourceHints>? hints = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var resources = manifest["resources"] as JsonObject ?? throw new PublishingException("the manifest has no \"resources\" object");
        var warnings = new List<string>();
        var parameters = new Dictionary<string, DeploymentParameter>(StringComparer.Ordinal);
        var ports = new Dictionary<string, List<DeploymentPort>>(StringComparer.Ordinal);

        foreach (var (name, node) in resources)
        {
            if (node is not JsonObject resource || resource["type"]?.GetValueKind() != System.Text.Json.JsonValueKind.String)
            {
                throw new PublishingException($"resource '{name}' has no \"type\"");
            }
            var type = resource["type"]!.GetValue<string>();
            if (type == "parameter.v0")
            {
                parameters[name] = ReadParameter(name, resource);
            }
            else if (s_serviceTypes.Contains(type))
            {
                ports[name] = ReadPorts(name, resource, type, warnings);
            }
            else if (type == "executable.v0")
            {
                throw new PublishingException($"resource '{name}' is executable.v0, a process on the developer's machine: publish it as a container (PublishAsDockerFile()) to deploy it");
            }
            else if (!s_valueTypes.Contains(type))
            {
                throw new PublishingException($"resource '{name}' has type '{type}', which cannot be deployed here");
            }
        }

        var expressions = new ManifestExpressions(resources,
            (resource, binding) => ports.TryGetValue(resource, out var list) ? list.FirstOrDefault(p => p.Name == binding) : null,
            parameters, target);

        if (hints is null)
        {
            warnings.Add("an Aspire manifest has no replicas, health checks or startup order: 1 replica each, health checks only for " +
                "well-known images (postgres, redis), depends_on inferred from references");
        }

        var completionTargets = hints?.Values.SelectMany(h => h.Waits).Where(w => w.Kind == DeploymentWaitKind.Completed)
            .Select(w => w.Resource).ToHashSet(StringComparer.Ordinal) ?? [];

        var services = new List<DeploymentResource>();
        foreach (var (name, node) in resources)
        {
            var resource = (JsonObject)node!;
            var type = resource["type"]!.GetValue<string>();
            if (!s_serviceTypes.Contains(type))
            {
                continue;
            }
            var hint = hints?.GetValueOrDefault(name);
            services.Add(ReadService(name, resource, type, ports[name], hint, completionTargets.Contains(name),
                expressions, ports.ContainsKey, manifestDirectory, outputDirectory, warnings));
        }

        foreach (var service in services)
        {
            foreach (var wait in service.Waits.Where(w => services.All(s => s.Name != w.Resource)))
            {
                throw new PublishingException($"resource '{service.Name}' waits for '{wait.Resource}', which is not a service of the manifest");
            }
        }
        return new DeploymentModel(services, [.. parameters.Values], warnings);
    }

    private static DeploymentParameter ReadParameter(string name, JsonObject resource)
    {
        var input = resource["inputs"]?["value"] as JsonObject;
        return new DeploymentParameter(
            name,
            input?["secret"]?.GetValue<bool>() ?? false,
            input?["default"]?["generate"]?.DeepClone() as JsonObject,
            input?["default"]?["value"]?.GetValue<string>());
    }

    private static List<DeploymentPort> ReadPorts(string name, JsonObject resource, string type, List<string> warnings)
    {
        var list = new List<DeploymentPort>();
        if (resource["bindings"] is not JsonObject bindings)
        {
            return list;
        }
        var isProject = type.StartsWith("project.", StringComparison.Ordinal);
        foreach (var (bindingName, node) in bindings)
        {
            var binding = node as JsonObject ?? throw new PublishingException($"resource '{name}': binding '{bindingName}' is not an object");
            var scheme = binding["scheme"]?.GetValue<string>() ?? throw new PublishingException($"resource '{name}': binding '{bindingName}' has no scheme");
            var targetPort = binding["targetPort"]?.GetValue<int>();
            if (targetPort is null)
            {
                // Aspirate's and Aspire's defaults for ASP.NET Core containers; for other images only a guess, said aloud.
                targetPort = scheme switch
                {
                    "http" => 8080,
                    "https" => 8443,
                    _ => throw new PublishingException($"resource '{name}': binding '{bindingName}' ({scheme}) has no targetPort"),
                };
                if (!isProject)
                {
                    warnings.Add($"{name}: binding '{bindingName}' has no targetPort; assumed {targetPort}");
                }
            }
            list.Add(new DeploymentPort(bindingName, scheme, binding["port"]?.GetValue<int>() ?? targetPort.Value, targetPort.Value,
                binding["external"]?.GetValue<bool>() ?? false));
        }
        return list;
    }

    private static DeploymentResource ReadService(
        string name, JsonObject resource, string type, List<DeploymentPort> ports, ResourceHints? hint, bool runsToCompletion,
        ManifestExpressions expressions, Func<string, bool> isService, string manifestDirectory, string outputDirectory, List<string> warnings)
    {
        string Rebase(string relative) => Path.GetRelativePath(outputDirectory, Path.GetFullPath(Path.Combine(manifestDirectory, relative)))
            .Replace(Path.DirectorySeparatorChar, '/');

        string image;
        string? imageVariable = null;
        DeploymentBuild? build = null;
        var kind = DeploymentResourceKind.Container;
        if (type.StartsWith("project.", StringComparison.Ordinal))
        {
            kind = DeploymentResourceKind.Project;
            var projectPath = Path.GetFullPath(Path.Combine(manifestDirectory, resource["path"]!.GetValue<string>()));
            var imageName = Path.GetFileNameWithoutExtension(projectPath).ToLowerInvariant().Replace('.', '-');
            image = $"{imageName}:latest";
            imageVariable = $"{imageName.ToUpperInvariant().Replace('-', '_')}_IMAGE";
            var dockerfile = Path.Combine(Path.GetDirectoryName(projectPath)!, "Dockerfile");
            if (File.Exists(dockerfile))
            {
                var context = FindBuildContext(projectPath);
                build = new DeploymentBuild(
                    Path.GetRelativePath(outputDirectory, context).Replace(Path.DirectorySeparatorChar, '/'),
                    Path.GetRelativePath(context, dockerfile).Replace(Path.DirectorySeparatorChar, '/'));
            }
        }
        else if (resource["build"] is JsonObject buildJson)
        {
            image = $"{name.ToLowerInvariant()}:latest";
            imageVariable = $"{name.ToUpperInvariant().Replace('-', '_')}_IMAGE";
            var context = Rebase(buildJson["context"]!.GetValue<string>());
            var dockerfile = Rebase(buildJson["dockerfile"]!.GetValue<string>());
            // Compose reads the Dockerfile path relative to the context.
            build = new DeploymentBuild(context, Path.GetRelativePath(
                Path.GetFullPath(Path.Combine(outputDirectory, context)), Path.GetFullPath(Path.Combine(outputDirectory, dockerfile))).Replace(Path.DirectorySeparatorChar, '/'));
        }
        else if (type == "dockerfile.v0")
        {
            image = $"{name.ToLowerInvariant()}:latest";
            imageVariable = $"{name.ToUpperInvariant().Replace('-', '_')}_IMAGE";
            var context = Rebase(resource["context"]!.GetValue<string>());
            var dockerfile = Rebase(resource["path"]!.GetValue<string>());
            build = new DeploymentBuild(context, Path.GetRelativePath(
                Path.GetFullPath(Path.Combine(outputDirectory, context)), Path.GetFullPath(Path.Combine(outputDirectory, dockerfile))).Replace(Path.DirectorySeparatorChar, '/'));
        }
        else
        {
            image = resource["image"]?.GetValue<string>() ?? throw new PublishingException($"resource '{name}' ({type}) has neither image nor build");
        }

        var environment = new List<KeyValuePair<string, DeploymentValue>>();
        var references = new HashSet<string>(StringComparer.Ordinal);
        if (resource["env"] is JsonObject env)
        {
            foreach (var (key, value) in env)
            {
                if (value?.GetValueKind() != System.Text.Json.JsonValueKind.String)
                {
                    throw new PublishingException($"resource '{name}': env '{key}' is not a string");
                }
                var text = value.GetValue<string>();
                try
                {
                    environment.Add(new(key, expressions.Resolve(name, text)));
                    references.UnionWith(expressions.ReferencedResources(name, text));
                }
                catch (HttpsNotSupportedException)
                {
                    warnings.Add($"{name}: left out {key} (an https URL; no certificates here, plain http is used inside)");
                }
            }
        }
        var args = new List<DeploymentValue>();
        foreach (var arg in resource["args"]?.AsArray() ?? [])
        {
            var text = arg!.GetValue<string>();
            args.Add(expressions.Resolve(name, text));
            references.UnionWith(expressions.ReferencedResources(name, text));
        }

        var image0 = WellKnownImage(image);
        var healthCheck = HealthCheck(name, image0, environment, ports, hint, warnings);
        var waits = hint?.Waits.ToList() ?? InferWaits(name, references, isService);

        var volumes = (resource["volumes"]?.AsArray() ?? []).Select(v => new DeploymentVolume(
            v!["name"]?.GetValue<string>() ?? throw new PublishingException($"resource '{name}' has an anonymous volume at {v["target"]}: give it a name"),
            v["target"]!.GetValue<string>(), v["readOnly"]?.GetValue<bool>() ?? false)).ToList();
        var bindMounts = (resource["bindMounts"]?.AsArray() ?? []).Select(b => new DeploymentBindMount(
            Rebase(b!["source"]!.GetValue<string>()), b["target"]!.GetValue<string>(), b["readOnly"]?.GetValue<bool>() ?? false)).ToList();

        return new DeploymentResource
        {
            Name = name,
            Kind = kind,
            Image = image,
            ImageVariable = imageVariable,
            Build = build,
            Entrypoint = resource["entrypoint"]?.GetValue<string>(),
            Args = args,
            Environment = environment,
            Ports = [.. ports.Where(p => p.Scheme != "https" || ports.All(other => other.Scheme == "https"))],
            Volumes = volumes,
            BindMounts = bindMounts,
            Replicas = runsToCompletion ? 1 : hint?.Replicas ?? 1,
            Waits = waits,
            HealthCheck = healthCheck,
            Profile = hint?.Profile,
            RunsToCompletion = runsToCompletion,
            WellKnownImage = image0,
        };
    }

    // Without the model's WaitFor: every service whose values this one uses (directly or through a connection string).
    private static List<DeploymentWait> InferWaits(string name, IEnumerable<string> references, Func<string, bool> isService) =>
        [.. references.Where(r => r != name && isService(r)).Select(r => new DeploymentWait(r, DeploymentWaitKind.Healthy))];

    private static DeploymentHealthCheck? HealthCheck(
        string name, string? wellKnownImage, List<KeyValuePair<string, DeploymentValue>> environment, List<DeploymentPort> ports,
        ResourceHints? hint, List<string> warnings)
    {
        if (hint?.HealthPath is { } path)
        {
            var port = ports.FirstOrDefault(p => p.Name == hint.HealthBinding)
                ?? throw new PublishingException($"resource '{name}': its health check uses binding '{hint.HealthBinding}', which it does not have");
            return new HttpHealthCheck(path, port.TargetPort);
        }
        switch (wellKnownImage)
        {
            case "postgres":
                return new CommandHealthCheck(environment.Any(e => e.Key == "POSTGRES_USER")
                    ? "pg_isready -h 127.0.0.1 -U \"$POSTGRES_USER\" -d postgres"
                    : "pg_isready -h 127.0.0.1 -U postgres -d postgres");
            case "redis":
                return new CommandHealthCheck(environment.Any(e => e.Key == "REDIS_PASSWORD")
                    ? "redis-cli -a \"$REDIS_PASSWORD\" --no-auth-warning ping | grep -q PONG"
                    : "redis-cli ping | grep -q PONG");
        }
        if (hint is null && ports.Count > 0)
        {
            warnings.Add($"{name}: no health check known; services waiting for it wait only until it has started");
        }
        return null;
    }

    /// <summary><c>docker.io/library/postgres:17.6</c> → <c>postgres</c>; null for images without known defaults.</summary>
    private static string? WellKnownImage(string image)
    {
        var withoutTag = image.Split('@')[0];
        var lastSlash = withoutTag.LastIndexOf('/');
        var colon = withoutTag.IndexOf(':', lastSlash + 1);
        var repository = colon < 0 ? withoutTag[(lastSlash + 1)..] : withoutTag[(lastSlash + 1)..colon];
        return repository is "postgres" or "redis" ? repository : null;
    }

    /// <summary>A .NET project builds from the folder holding its solution: it needs its sibling projects.</summary>
    private static string FindBuildContext(string projectPath)
    {
        for (var directory = Directory.GetParent(projectPath); directory is not null; directory = directory.Parent)
        {
            if (directory.EnumerateFiles("*.sln").Any() || directory.EnumerateFiles("*.slnx").Any())
            {
                return directory.FullName;
            }
        }
        return Path.GetDirectoryName(projectPath)!;
    }
}
