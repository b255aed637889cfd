using System.Net.Sockets;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting.Publishing;

/// <summary>
/// Turns the app model into Aspire's manifest (<c>{"resources": {...}}</c>), field by field as Aspire's
/// <c>ManifestPublishingContext</c> writes it. Values that are known only at deploy time stay expressions.
/// </summary>
public sealed class ManifestWriter(DistributedApplicationExecutionContext executionContext, string manifestDirectory)
{
    public const string SchemaUrl = "https://json.schemastore.org/aspire-8.0.json";

    // Aspire's publish-time PortAllocator: containers and executables without a target port get one from 8000 up.
    private const int FirstAllocatedPort = 8000;

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Dictionary<EndpointAnnotation, int> _allocatedTargetPorts = [];
    private int _nextPort = FirstAllocatedPort;

    public async Task<JsonObject> WriteAsync(DistributedApplicationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var resources = new JsonObject();
        foreach (var resource in model.Resources)
        {
            resources[resource.Name] = await WriteResourceAsync(resource);
        }
        return new JsonObject { ["$schema"] = SchemaUrl, ["resources"] = resources };
    }

    public static string Serialize(JsonObject manifest) => manifest.ToJsonString(JsonOptions).ReplaceLineEndings("\n") + "\n";

    private async Task<JsonObject> WriteResourceAsync(IResource resource) => resource switch
    {
        ParameterResource parameter => WriteParameter(parameter),
        ContainerResource container => await WriteContainerAsync(container),
        ProjectResource project => await WriteProjectAsync(project),
        ExecutableResource executable when executable.Annotations.OfType<DockerfileBuildAnnotation>().LastOrDefault() is { } build =>
            await WriteDockerfileBuildAsync(executable, build),
        ExecutableResource executable => await WriteExecutableAsync(executable),
        IResourceWithConnectionString withConnectionString => new JsonObject
        {
            ["type"] = "value.v0",
            ["connectionString"] = withConnectionString.ConnectionStringExpression.ValueExpression,
        },
        _ => throw new PublishingException(
            $"resource '{resource.Name}' ({resource.GetType().Name}) has no manifest form: remove it from the published model"),
    };

    private static JsonObject WriteParameter(ParameterResource parameter)
    {
        var input = new JsonObject { ["type"] = "string" };
        if (parameter.Secret)
        {
            input["secret"] = true;
        }
        switch (parameter.Default)
        {
            case GenerateParameterDefault generate:
                var rule = new JsonObject { ["minLength"] = generate.MinLength };
                // Aspire writes the character classes only when they are turned off.
                if (!generate.Lower) rule["lower"] = false;
                if (!generate.Upper) rule["upper"] = false;
                if (!generate.Numeric) rule["numeric"] = false;
                if (!generate.Special) rule["special"] = false;
                input["default"] = new JsonObject { ["generate"] = rule };
                break;
            case ConstantParameterDefault constant:
                input["default"] = new JsonObject { ["value"] = constant.Value };
                break;
            case null:
                break;
            default:
                throw new PublishingException($"parameter '{parameter.Name}' has a default of type {parameter.Default.GetType().Name} that a manifest cannot carry");
        }
        return new JsonObject
        {
            ["type"] = "parameter.v0",
            ["value"] = $"{{{parameter.Name}.inputs.value}}",
            ["inputs"] = new JsonObject { ["value"] = input },
        };
    }

    private async Task<JsonObject> WriteContainerAsync(ContainerResource container)
    {
        var image = container.Image ?? throw new PublishingException($"container '{container.Name}' has no image");
        var json = new JsonObject { ["type"] = "container.v0" };
        if (container is IResourceWithConnectionString withConnectionString)
        {
            json["connectionString"] = withConnectionString.ConnectionStringExpression.ValueExpression;
        }
        json["image"] = image.FullName;

        var args = await ManifestArgsAsync(container);
        if (container is RedisResource)
        {
            // As Aspire: the password comes from the environment through a shell, never on the command line in clear.
            json["entrypoint"] = "/bin/sh";
            args = ["-c", string.Join(' ', ["redis-server", "--requirepass", "$REDIS_PASSWORD", .. args])];
        }
        AddArgs(json, args);

        var mounts = container.Annotations.OfType<ContainerMountAnnotation>().ToList();
        var volumes = mounts.Where(m => m.Type == ContainerMountType.Volume).Select(m =>
            new JsonObject
            {
                ["name"] = m.Source ?? throw new PublishingException($"container '{container.Name}' has an anonymous volume at {m.Target}: give it a name"),
                ["target"] = m.Target,
                ["readOnly"] = m.IsReadOnly,
            }).ToList();
        var bindMounts = mounts.Where(m => m.Type == ContainerMountType.BindMount).Select(m =>
            new JsonObject
            {
                ["source"] = RelativePath(m.Source ?? throw new PublishingException($"container '{container.Name}' has a bind mount without a source")),
                ["target"] = m.Target,
                ["readOnly"] = m.IsReadOnly,
            }).ToList();
        if (bindMounts.Count > 0)
        {
            json["bindMounts"] = new JsonArray([.. bindMounts]);
        }
        if (volumes.Count > 0)
        {
            json["volumes"] = new JsonArray([.. volumes]);
        }
        await AddEnvironmentAsync(json, container);
        AddBindings(json, container, allocatePorts: true);
        return json;
    }

    private async Task<JsonObject> WriteProjectAsync(ProjectResource project)
    {
        var json = new JsonObject { ["type"] = "project.v0", ["path"] = RelativePath(project.ProjectPath) };
        AddArgs(json, await ManifestArgsAsync(project));
        await AddEnvironmentAsync(json, project);
        AddBindings(json, project, allocatePorts: false);
        return json;
    }

    private async Task<JsonObject> WriteDockerfileBuildAsync(ExecutableResource executable, DockerfileBuildAnnotation build)
    {
        // PublishAsDockerFile: the image's own CMD runs it, so the run-mode arguments are dropped.
        var json = new JsonObject
        {
            ["type"] = "container.v1",
            ["build"] = new JsonObject
            {
                ["context"] = RelativePath(build.ContextPath),
                ["dockerfile"] = RelativePath(build.DockerfilePath),
            },
        };
        await AddEnvironmentAsync(json, executable, env =>
        {
            if (executable is NodeAppResource)
            {
                env["NODE_ENV"] = "production";
                env.Remove("BROWSER");
            }
        });
        AddBindings(json, executable, allocatePorts: true);
        return json;
    }

    private async Task<JsonObject> WriteExecutableAsync(ExecutableResource executable)
    {
        var json = new JsonObject
        {
            ["type"] = "executable.v0",
            ["workingDirectory"] = RelativePath(executable.WorkingDirectory),
            ["command"] = executable.Command,
        };
        AddArgs(json, await ManifestArgsAsync(executable));
        await AddEnvironmentAsync(json, executable);
        AddBindings(json, executable, allocatePorts: true);
        return json;
    }

    private async Task<List<string>> ManifestArgsAsync(IResource resource) =>
        [.. (await resource.GetArgsAsync(executionContext)).Select(ExpressionResolver.ToManifestExpression).OfType<string>()];

    private static void AddArgs(JsonObject json, List<string> args)
    {
        if (args.Count > 0)
        {
            json["args"] = new JsonArray([.. args.Select(a => (JsonNode)JsonValue.Create(a))]);
        }
    }

    private async Task AddEnvironmentAsync(JsonObject json, IResource resource, Action<Dictionary<string, string>>? adjust = null)
    {
        var env = await resource.GetManifestEnvironmentAsync(executionContext);
        adjust?.Invoke(env);
        if (env.Count == 0)
        {
            return;
        }
        var envJson = new JsonObject();
        foreach (var (name, value) in env)
        {
            envJson[name] = value;
        }
        json["env"] = envJson;
    }

    private void AddBindings(JsonObject json, IResource resource, bool allocatePorts)
    {
        var endpoints = resource.GetEndpointAnnotations().ToList();
        if (endpoints.Count == 0)
        {
            return;
        }
        var bindings = new JsonObject();
        foreach (var endpoint in endpoints)
        {
            var binding = new JsonObject
            {
                ["scheme"] = endpoint.UriScheme,
                ["protocol"] = endpoint.Protocol.ToString().ToLowerInvariant(),
                ["transport"] = endpoint.Transport,
            };
            if (endpoint.Protocol is not (ProtocolType.Tcp or ProtocolType.Udp))
            {
                throw new PublishingException($"endpoint '{endpoint.Name}' of '{resource.Name}' uses {endpoint.Protocol}: a manifest knows only tcp and udp");
            }
            var targetPort = endpoint.TargetPort ?? (allocatePorts ? AllocateTargetPort(endpoint) : null);
            if (endpoint.Port is { } port && port != targetPort)
            {
                binding["port"] = port;
            }
            if (targetPort is { } known)
            {
                binding["targetPort"] = known;
            }
            if (endpoint.IsExternal)
            {
                binding["external"] = true;
            }
            bindings[endpoint.Name] = binding;
        }
        json["bindings"] = bindings;
    }

    private int AllocateTargetPort(EndpointAnnotation endpoint)
    {
        if (!_allocatedTargetPorts.TryGetValue(endpoint, out var port))
        {
            port = _nextPort++;
            _allocatedTargetPorts[endpoint] = port;
        }
        return port;
    }

    private string RelativePath(string path) =>
        Path.GetRelativePath(manifestDirectory, path).Replace(Path.DirectorySeparatorChar, '/');
}
