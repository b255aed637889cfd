using System.Text.Json.Nodes;

namespace LearnApp.Publishing.Tests.Kubernetes;

/// <summary>The checks every generated Kubernetes folder must pass: strict schemas per kind, and how the objects fit together.</summary>
internal static class KubernetesChecks
{
    /// <summary>The strict v1.32 schema for a document, routed by apiVersion and kind; an error when it cannot be routed.</summary>
    public static string SchemaFor(JsonNode? document)
    {
        var apiVersion = document?["apiVersion"]?.GetValue<string>();
        var kind = document?["kind"]?.GetValue<string>();
        var name = document?["metadata"]?["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(name))
        {
            throw new InvalidOperationException($"a document without apiVersion, kind or metadata.name: {document?.ToJsonString()}");
        }
        var parts = apiVersion.Split('/');
        var file = parts.Length == 1
            ? $"{kind.ToLowerInvariant()}-{parts[0]}.json"
            : $"{kind.ToLowerInvariant()}-{parts[0].Split('.')[0]}-{parts[1]}.json";
        var path = Path.Combine(Repository.KubernetesSchemas, file);
        return File.Exists(path) ? path : throw new InvalidOperationException($"no schema for {apiVersion} {kind} ({file})");
    }

    public static async Task<List<JsonObject>> AssertValidAsync(IReadOnlyDictionary<string, string> files)
    {
        var documents = new List<JsonObject>();
        foreach (var (file, content) in files.Where(f => f.Key != "kustomization.yaml"))
        {
            foreach (var document in YamlDocuments.Parse(content))
            {
                await JsonSchemas.AssertValidAsync(SchemaFor(document), document!.ToJsonString(), $"{file}: {document["kind"]} {document["metadata"]!["name"]}");
                documents.Add(document.AsObject());
            }
        }

        var kustomization = YamlDocuments.ParseSingle(files["kustomization.yaml"])!;
        var listed = kustomization["resources"]!.AsArray().Select(r => r!.GetValue<string>()).ToHashSet();
        Assert.Equal(files.Keys.Where(f => f is not "kustomization.yaml" and not "secret.template.yaml").Order(), listed.Order());

        var workloads = documents.Where(d => d["kind"]!.GetValue<string>() is "Deployment" or "StatefulSet" or "Job").ToList();
        var configMaps = documents.Where(d => Kind(d) == "ConfigMap").ToDictionary(Name, d => d["data"]!.AsObject());
        var secret = documents.Single(d => Kind(d) == "Secret");
        var secretKeys = secret["stringData"]!.AsObject();
        Assert.All(secretKeys, s => Assert.Equal("", s.Value!.GetValue<string>()));

        foreach (var service in documents.Where(d => Kind(d) == "Service"))
        {
            var selector = service["spec"]!["selector"]!.AsObject();
            var selected = workloads.Where(w => selector.All(s =>
                w["spec"]!["template"]!["metadata"]!["labels"]![s.Key]?.GetValue<string>() == s.Value!.GetValue<string>())).ToList();
            Assert.True(selected.Count > 0, $"Service {Name(service)} selects no workload's pods");
            var containerPorts = selected.SelectMany(w => w["spec"]!["template"]!["spec"]!["containers"]!.AsArray())
                .SelectMany(c => c!["ports"]?.AsArray() ?? []).ToList();
            foreach (var port in service["spec"]!["ports"]!.AsArray())
            {
                var target = port!["targetPort"]!.ToString();
                Assert.True(containerPorts.Any(p => p!["name"]?.GetValue<string>() == target || p["containerPort"]!.ToString() == target),
                    $"Service {Name(service)} port {port["name"]} targets {target}, which no selected container exposes");
            }
        }

        foreach (var workload in workloads)
        {
            foreach (var container in workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray())
            {
                foreach (var envFrom in container!["envFrom"]?.AsArray() ?? [])
                {
                    Assert.Contains(envFrom!["configMapRef"]!["name"]!.GetValue<string>(), configMaps.Keys);
                }
                foreach (var env in container["env"]?.AsArray() ?? [])
                {
                    if (env!["valueFrom"]?["secretKeyRef"] is { } secretRef)
                    {
                        Assert.Equal(Name(secret), secretRef["name"]!.GetValue<string>());
                        Assert.True(secretKeys.ContainsKey(secretRef["key"]!.GetValue<string>()), $"{Name(workload)} reads secret key {secretRef["key"]}, which the template lacks");
                    }
                    if (env["valueFrom"]?["configMapKeyRef"] is { } configRef)
                    {
                        Assert.True(configMaps[configRef["name"]!.GetValue<string>()].ContainsKey(configRef["key"]!.GetValue<string>()));
                    }
                }
                var security = container["securityContext"]!;
                Assert.False(security["allowPrivilegeEscalation"]!.GetValue<bool>());
                Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => c!.GetValue<string>()));
                Assert.NotNull(container["resources"]!["limits"]!["memory"]);
            }
        }

        foreach (var reference in documents.Where(d => Kind(d) is "HorizontalPodAutoscaler"))
        {
            Assert.Contains(workloads, w => Name(w) == reference["spec"]!["scaleTargetRef"]!["name"]!.GetValue<string>() && Kind(w) == "Deployment");
        }
        foreach (var ingress in documents.Where(d => Kind(d) == "Ingress"))
        {
            foreach (var path in ingress["spec"]!["rules"]![0]!["http"]!["paths"]!.AsArray())
            {
                var backend = path!["backend"]!["service"]!;
                var service = documents.Single(d => Kind(d) == "Service" && Name(d) == backend["name"]!.GetValue<string>());
                Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => p!["name"]!.GetValue<string>() == backend["port"]!["name"]!.GetValue<string>());
            }
        }
        return documents;
    }

    public static string Kind(JsonNode document) => document["kind"]!.GetValue<string>();

    public static string Name(JsonNode document) => document["metadata"]!["name"]!.GetValue<string>();
}
