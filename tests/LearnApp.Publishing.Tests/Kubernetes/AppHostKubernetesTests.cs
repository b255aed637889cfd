using System.Text.Json.Nodes;

namespace LearnApp.Publishing.Tests.Kubernetes;

public sealed class AppHostKubernetesTests(PublishedKubernetesFixture published) : IClassFixture<PublishedKubernetesFixture>
{
    private static readonly string CheckedIn = Path.Combine(Repository.Root, "deploy", "k8s");

    [Fact]
    public void The_checked_in_manifests_are_exactly_what_the_AppHost_writes()
    {
        const string Regenerate = "run `dotnet run --project AppHost -- --publisher kubernetes --output-path deploy/k8s`";
        var checkedIn = Directory.EnumerateFiles(CheckedIn).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f));
        Assert.True(checkedIn.Keys.Order().SequenceEqual(published.Files.Keys.Order()), $"deploy/k8s has other files than the AppHost writes: {Regenerate}");
        foreach (var (name, content) in published.Files)
        {
            Assert.True(checkedIn[name] == content, $"deploy/k8s/{name} is out of date: {Regenerate}");
        }
    }

    [Fact]
    public async Task Every_document_validates_and_the_objects_fit_together() => await KubernetesChecks.AssertValidAsync(published.Files);

    [Fact]
    public async Task Data_stores_are_StatefulSets_with_claims_and_the_migrator_is_a_Job()
    {
        var documents = await KubernetesChecks.AssertValidAsync(published.Files);
        Assert.Equal(["cache", "postgres"], Names(documents, "StatefulSet"));
        Assert.Equal(["migrator"], Names(documents, "Job"));
        Assert.Equal(["api", "frontend", "scheduler", "worker"], Names(documents, "Deployment"));
        var postgres = documents.Single(d => KubernetesChecks.Kind(d) == "StatefulSet" && KubernetesChecks.Name(d) == "postgres");
        Assert.Equal("/var/lib/postgresql/data", postgres["spec"]!["template"]!["spec"]!["containers"]![0]!["volumeMounts"]![0]!["mountPath"]!.GetValue<string>());
        Assert.Equal("1Gi", postgres["spec"]!["volumeClaimTemplates"]![0]!["spec"]!["resources"]!["requests"]!["storage"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_api_has_replicas_probes_an_autoscaler_and_a_disruption_budget()
    {
        var documents = await KubernetesChecks.AssertValidAsync(published.Files);
        var api = documents.Single(d => KubernetesChecks.Kind(d) == "Deployment" && KubernetesChecks.Name(d) == "api");
        Assert.Equal(2, api["spec"]!["replicas"]!.GetValue<long>());
        var container = api["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("/health", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("/alive", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.True(api["spec"]!["template"]!["spec"]!["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        Assert.True(container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.Equal(["api"], Names(documents, "HorizontalPodAutoscaler"));
        Assert.Equal(["api"], Names(documents, "PodDisruptionBudget"));
    }

    [Fact]
    public async Task The_worker_runs_the_Api_image_in_worker_mode()
    {
        var documents = await KubernetesChecks.AssertValidAsync(published.Files);
        var container = PodSpec(documents, "Deployment", "worker")["containers"]![0]!;
        Assert.Equal("learnapp-api:latest", container["image"]!.GetValue<string>());
        Assert.Equal(["worker"], container["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("/health", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task Secrets_come_from_a_Secret_template_without_values_and_connection_strings_use_them()
    {
        var documents = await KubernetesChecks.AssertValidAsync(published.Files);
        var secret = documents.Single(d => KubernetesChecks.Kind(d) == "Secret");
        Assert.Equal(["JWT_KEY", "POSTGRES_PASSWORD", "CACHE_PASSWORD"], secret["stringData"]!.AsObject().Select(p => p.Key));
        var api = documents.Single(d => KubernetesChecks.Kind(d) == "Deployment" && KubernetesChecks.Name(d) == "api");
        var env = api["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e);
        Assert.Equal("Host=postgres;Port=5432;Username=postgres;Password=$(PARAMETER_POSTGRES_PASSWORD);Database=db",
            env["ConnectionStrings__db"]!["value"]!.GetValue<string>());
        Assert.Equal("JWT_KEY", env["Jwt__SigningKey"]!["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>());
        // A variable is defined before a value that refers to it.
        var names = env.Keys.ToList();
        Assert.True(names.IndexOf("PARAMETER_POSTGRES_PASSWORD") < names.IndexOf("ConnectionStrings__db"));
    }

    [Fact]
    public async Task The_ingress_sends_the_root_to_the_frontend_and_api_paths_to_the_api()
    {
        var documents = await KubernetesChecks.AssertValidAsync(published.Files);
        var paths = documents.Single(d => KubernetesChecks.Kind(d) == "Ingress")["spec"]!["rules"]![0]!["http"]!["paths"]!.AsArray();
        Assert.Equal(["/api:api", "/:frontend"], paths.Select(p => $"{p!["path"]}:{p["backend"]!["service"]!["name"]}"));
    }

    [Fact]
    public async Task WaitFor_becomes_init_containers_that_wait_for_healthy_services_and_the_finished_migrator()
    {
        var documents = await KubernetesChecks.AssertValidAsync(published.Files);
        var api = PodSpec(documents, "Deployment", "api");
        var waits = api["initContainers"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);
        Assert.Equal(["wait-for-postgres", "wait-for-cache", "wait-for-migrator"], waits.Keys);
        Assert.Contains("nc -z -w 2 postgres 5432", waits["wait-for-postgres"]["command"]![2]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("nc -z -w 2 cache 6379", waits["wait-for-cache"]["command"]![2]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["kubectl", "wait", "--for=condition=complete", "job/migrator"],
            waits["wait-for-migrator"]["command"]!.AsArray().Take(4).Select(a => a!.GetValue<string>()));
        Assert.Equal(["wait-for-postgres"], PodSpec(documents, "Job", "migrator")["initContainers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(["wait-for-api"], PodSpec(documents, "Deployment", "frontend")["initContainers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Null(PodSpec(documents, "StatefulSet", "postgres")["initContainers"]);
    }

    [Fact]
    public async Task Only_the_kubectl_wait_gets_an_API_token_and_its_account_may_only_read_jobs()
    {
        var documents = await KubernetesChecks.AssertValidAsync(published.Files);
        var api = PodSpec(documents, "Deployment", "api");
        Assert.False(api["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.Equal("start-order-waiter", api["serviceAccountName"]!.GetValue<string>());
        Assert.Null(api["containers"]![0]!["volumeMounts"]!.AsArray().FirstOrDefault(m => m!["name"]!.GetValue<string>() == "waiter-token"));
        var tokenMounts = api["initContainers"]!.AsArray().Where(c => c!["volumeMounts"] is JsonArray mounts && mounts.Any(m => m!["name"]!.GetValue<string>() == "waiter-token"));
        Assert.Equal(["wait-for-migrator"], tokenMounts.Select(c => c!["name"]!.GetValue<string>()));
        var role = documents.Single(d => KubernetesChecks.Kind(d) == "Role");
        var rule = Assert.Single(role["rules"]!.AsArray());
        Assert.Equal(["jobs"], rule!["resources"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(["get", "list", "watch"], rule["verbs"]!.AsArray().Select(r => r!.GetValue<string>()));
        var binding = documents.Single(d => KubernetesChecks.Kind(d) == "RoleBinding");
        Assert.Equal("start-order-waiter", binding["subjects"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(["start-order-waiter"], Names(documents, "ServiceAccount"));
    }

    [Fact]
    public void A_document_without_apiVersion_kind_or_name_cannot_be_checked()
    {
        Assert.Throws<InvalidOperationException>(() => KubernetesChecks.SchemaFor(JsonNode.Parse("""{"kind":"Service","metadata":{"name":"a"}}""")));
        Assert.Throws<InvalidOperationException>(() => KubernetesChecks.SchemaFor(JsonNode.Parse("""{"apiVersion":"v1","metadata":{"name":"a"}}""")));
        Assert.Throws<InvalidOperationException>(() => KubernetesChecks.SchemaFor(JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{}}""")));
        Assert.Throws<InvalidOperationException>(() => KubernetesChecks.SchemaFor(JsonNode.Parse("""{"apiVersion":"v1","kind":"Gadget","metadata":{"name":"a"}}""")));
    }

    [Fact]
    public async Task A_field_the_strict_schema_does_not_know_fails_validation()
    {
        var service = JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"},"spec":{"replicas":2}}""");
        Assert.NotEmpty(await JsonSchemas.ValidateAsync(KubernetesChecks.SchemaFor(service), service!.ToJsonString()));
    }

    private static JsonNode PodSpec(List<JsonObject> documents, string kind, string name) =>
        documents.Single(d => KubernetesChecks.Kind(d) == kind && KubernetesChecks.Name(d) == name)["spec"]!["template"]!["spec"]!;

    private static List<string> Names(List<JsonObject> documents, string kind) =>
        [.. documents.Where(d => KubernetesChecks.Kind(d) == kind).Select(KubernetesChecks.Name).Order(StringComparer.Ordinal)];
}
