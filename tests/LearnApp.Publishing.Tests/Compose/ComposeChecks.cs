using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LearnApp.Publishing.Tests.Compose;

/// <summary>The structural checks every generated compose file must pass, whatever it was generated from.</summary>
internal static partial class ComposeChecks
{
    public static async Task<JsonObject> AssertValidAsync(string composeYaml, string envExample)
    {
        var compose = YamlDocuments.ParseSingle(composeYaml)!.AsObject();
        await JsonSchemas.AssertValidAsync(Repository.ComposeSchema, compose.ToJsonString(), "compose.yaml");

        var services = compose["services"]!.AsObject();
        var declaredVolumes = compose["volumes"]?.AsObject().Select(v => v.Key).ToHashSet() ?? [];
        foreach (var (name, service) in services)
        {
            foreach (var (target, _) in service!["depends_on"]?.AsObject() ?? [])
            {
                Assert.True(services.ContainsKey(target), $"{name} depends on '{target}', which is not a service");
                var profile = service["profiles"]?[0]?.GetValue<string>();
                var targetProfile = services[target]!["profiles"]?[0]?.GetValue<string>();
                Assert.True(targetProfile is null || targetProfile == profile, $"{name} depends on '{target}', which is only in profile {targetProfile}");
            }
            foreach (var volume in service["volumes"]?.AsArray() ?? [])
            {
                if (volume!["type"]!.GetValue<string>() == "volume")
                {
                    Assert.Contains(volume["source"]!.GetValue<string>(), declaredVolumes);
                }
            }
        }

        // Every ${VARIABLE} either has a default or is listed in .env.example, and .env.example holds no value.
        var listed = EnvLine().Matches(envExample).Select(m => m.Groups["name"].Value).ToHashSet();
        foreach (Match reference in Interpolation().Matches(composeYaml.Replace("$$", "", StringComparison.Ordinal)))
        {
            var variable = reference.Groups["name"].Value;
            var hasDefault = reference.Groups["op"].Value == ":-";
            Assert.True(hasDefault || listed.Contains(variable), $"${{{variable}}} is used in compose.yaml but not listed in .env.example");
        }
        foreach (Match line in EnvLine().Matches(envExample))
        {
            Assert.True(line.Groups["value"].Value.Length == 0, $".env.example gives {line.Groups["name"].Value} a value");
        }
        return compose;
    }

    /// <summary>No environment value that names a password or key carries literal text where the secret goes.</summary>
    public static void AssertNoSecretValues(JsonObject compose)
    {
        foreach (var (name, service) in compose["services"]!.AsObject())
        {
            foreach (var (key, value) in service!["environment"]?.AsObject() ?? [])
            {
                var text = value!.GetValue<string>();
                foreach (Match secret in SecretAssignment().Matches(text))
                {
                    Assert.True(secret.Groups["value"].Value.StartsWith("${", StringComparison.Ordinal),
                        $"{name}: {key} has a literal secret: {secret.Value}");
                }
                if (key.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || key.Contains("Key", StringComparison.Ordinal))
                {
                    Assert.StartsWith("${", text, StringComparison.Ordinal);
                }
            }
        }
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<op>:-|:\?|-|\?)?[^}]*\}")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>.*)$", RegexOptions.Multiline)]
    private static partial Regex EnvLine();

    [GeneratedRegex(@"(?i)password=(?<value>[^;,]*)")]
    private static partial Regex SecretAssignment();
}
