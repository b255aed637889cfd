using LearnApp.Hosting.Publishing.Deployment;

namespace LearnApp.Publishing.Kubernetes;

/// <summary>
/// WaitFor and WaitForCompletion as init containers, since Kubernetes has no start ordering of its own. A wait for a
/// service with a port connects through its Service, which only routes to pods whose readiness probe passes, so an
/// open port means healthy. A wait for a Job, or for a workload without a port, asks the API server with kubectl;
/// only those init containers get a token, for a service account that may read nothing but jobs and workloads.
/// </summary>
internal static class StartOrdering
{
    public const string WaiterAccount = "start-order-waiter";

    private const string PortWaitImage = "docker.io/library/busybox:1.37";
    private const string KubectlImage = "registry.k8s.io/kubectl:v1.32.4";
    private const string TokenVolume = "waiter-token";
    private const string KubectlTmpVolume = "waiter-tmp";
    private const long NobodyUser = 65534;
    private static readonly string[] s_readVerbs = ["get", "list", "watch"];

    public static void AddInitContainers(DeploymentResource resource, DeploymentModel model, Dictionary<string, object> podSpec, List<string> warnings)
    {
        var initContainers = new List<Dictionary<string, object>>();
        foreach (var wait in resource.Waits)
        {
            var target = model.Resources.FirstOrDefault(r => r.Name == wait.Resource);
            if (target is null)
            {
                warnings.Add($"{resource.Name}: waits for '{wait.Resource}', which is not deployed; no init container for it");
                continue;
            }
            var targetName = KubernetesManifestWriter.Name(target.Name);
            initContainers.Add(Wait(target) switch
            {
                WaitMethod.Port => PortWait(targetName, target.Ports[0]),
                WaitMethod.JobComplete => KubectlWait(targetName, "wait", "--for=condition=complete", $"job/{targetName}", "--timeout=15m"),
                _ => KubectlWait(targetName, "rollout", "status", $"{WorkloadKind(target).ToLowerInvariant()}/{targetName}", "--timeout=15m"),
            });
        }
        if (initContainers.Count == 0)
        {
            return;
        }
        podSpec["initContainers"] = initContainers.ToArray();
        if (initContainers.Any(c => c.ContainsKey("volumeMounts")))
        {
            // The token is projected into the waiting init containers only; the app container still gets none.
            podSpec["serviceAccountName"] = WaiterAccount;
            var volumes = podSpec.TryGetValue("volumes", out var existing) ? (List<Dictionary<string, object>>)existing : [];
            volumes.Add(TokenVolumeSource());
            volumes.Add(new() { ["name"] = KubectlTmpVolume, ["emptyDir"] = new Dictionary<string, object>() });
            podSpec["volumes"] = volumes;
        }
    }

    /// <summary>The ServiceAccount, Role and RoleBinding the kubectl waits use; none when nothing needs them.</summary>
    public static List<Dictionary<string, object>> WaiterRbac(DeploymentModel model, Dictionary<string, string> labels)
    {
        var kinds = model.Resources
            .SelectMany(r => r.Waits)
            .Select(w => model.Resources.FirstOrDefault(t => t.Name == w.Resource))
            .OfType<DeploymentResource>()
            .Where(t => Wait(t) != WaitMethod.Port)
            .Select(t => Wait(t) == WaitMethod.JobComplete ? "Job" : WorkloadKind(t))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        if (kinds.Count == 0)
        {
            return [];
        }
        var rules = kinds.GroupBy(k => k == "Job" ? "batch" : "apps").Select(g => new Dictionary<string, object>
        {
            ["apiGroups"] = new[] { g.Key },
            ["resources"] = g.Select(k => $"{k.ToLowerInvariant()}s").ToArray(),
            ["verbs"] = s_readVerbs,
        }).ToArray();
        var subject = new Dictionary<string, object> { ["kind"] = "ServiceAccount", ["name"] = WaiterAccount };
        return
        [
            KubernetesManifestWriter.Object("v1", "ServiceAccount", WaiterAccount, labels, ("automountServiceAccountToken", false)),
            KubernetesManifestWriter.Object("rbac.authorization.k8s.io/v1", "Role", WaiterAccount, labels, ("rules", rules)),
            KubernetesManifestWriter.Object("rbac.authorization.k8s.io/v1", "RoleBinding", WaiterAccount, labels,
                ("roleRef", new Dictionary<string, object> { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = WaiterAccount }),
                ("subjects", new[] { subject })),
        ];
    }

    private enum WaitMethod
    {
        Port,
        JobComplete,
        Rollout,
    }

    // A completion wait always targets a run-to-completion service: the deployment model makes those Jobs.
    private static WaitMethod Wait(DeploymentResource target) => target switch
    {
        { RunsToCompletion: true } => WaitMethod.JobComplete,
        { Ports.Count: > 0 } => WaitMethod.Port,
        _ => WaitMethod.Rollout,
    };

    private static string WorkloadKind(DeploymentResource target) => target.Volumes.Count > 0 ? "StatefulSet" : "Deployment";

    private static Dictionary<string, object> PortWait(string service, DeploymentPort port) => InitContainer($"wait-for-{service}", PortWaitImage,
        ["sh", "-c", $"until nc -z -w 2 {service} {port.Port}; do echo 'waiting for {service}:{port.Port}'; sleep 2; done"]);

    private static Dictionary<string, object> KubectlWait(string target, params string[] args)
    {
        var container = InitContainer($"wait-for-{target}", KubectlImage, ["kubectl", .. args, "--cache-dir=/tmp/kube-cache"]);
        container["volumeMounts"] = new[]
        {
            new Dictionary<string, object> { ["name"] = TokenVolume, ["mountPath"] = "/var/run/secrets/kubernetes.io/serviceaccount", ["readOnly"] = true },
            new Dictionary<string, object> { ["name"] = KubectlTmpVolume, ["mountPath"] = "/tmp" },
        };
        return container;
    }

    private static Dictionary<string, object> InitContainer(string name, string image, string[] command) => new()
    {
        ["name"] = KubernetesManifestWriter.Name(name),
        ["image"] = image,
        ["imagePullPolicy"] = "IfNotPresent",
        ["command"] = command,
        ["resources"] = new Dictionary<string, object>
        {
            ["requests"] = new Dictionary<string, object> { ["cpu"] = "10m", ["memory"] = "16Mi" },
            ["limits"] = new Dictionary<string, object> { ["cpu"] = "100m", ["memory"] = "128Mi" },
        },
        ["securityContext"] = new Dictionary<string, object>
        {
            ["runAsNonRoot"] = true,
            ["runAsUser"] = NobodyUser,
            ["allowPrivilegeEscalation"] = false,
            ["readOnlyRootFilesystem"] = true,
            ["capabilities"] = new Dictionary<string, object> { ["drop"] = new[] { "ALL" } },
        },
    };

    // What the kubelet would mount for an automounted token: a short-lived token, the cluster CA and the namespace.
    private static Dictionary<string, object> TokenVolumeSource() => new()
    {
        ["name"] = TokenVolume,
        ["projected"] = new Dictionary<string, object>
        {
            ["sources"] = new object[]
            {
                new Dictionary<string, object> { ["serviceAccountToken"] = new Dictionary<string, object> { ["path"] = "token", ["expirationSeconds"] = 3607 } },
                new Dictionary<string, object>
                {
                    ["configMap"] = new Dictionary<string, object>
                    {
                        ["name"] = "kube-root-ca.crt",
                        ["items"] = new[] { new Dictionary<string, object> { ["key"] = "ca.crt", ["path"] = "ca.crt" } },
                    },
                },
                new Dictionary<string, object>
                {
                    ["downwardAPI"] = new Dictionary<string, object>
                    {
                        ["items"] = new[]
                        {
                            new Dictionary<string, object>
                            {
                                ["path"] = "namespace",
                                ["fieldRef"] = new Dictionary<string, object> { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" },
                            },
                        },
                    },
                },
            },
        },
    };
}
