using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace LearnApp.Hosting.Publishing.Deployment;

/// <summary>
/// Resolves Aspire manifest expressions (<c>{api.bindings.http.url}</c>, <c>{db.connectionString}</c>,
/// <c>{jwt-key.value}</c>) for a target where every service is reached by its name. Parameters stay references.
/// </summary>
internal sealed class ManifestExpressions(
    JsonObject resources, Func<string, string, DeploymentPort?> findPort, IReadOnlyDictionary<string, DeploymentParameter> parameters,
    DeploymentTarget target)
{
    private const int MaxDepth = 16;

    /// <summary>The value of <paramref name="text"/> found in resource <paramref name="owner"/>.</summary>
    public DeploymentValue Resolve(string owner, string text) => new(Merge(ResolveParts(owner, text, 0)));

    /// <summary>Every resource an expression in <paramref name="text"/> reaches, through connection strings too.</summary>
    public IEnumerable<string> ReferencedResources(string owner, string text)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        Collect(owner, text, found, 0);
        return found;
    }

    private void Collect(string owner, string text, HashSet<string> found, int depth)
    {
        foreach (var expression in Expressions(owner, text))
        {
            var name = expression.Split('.')[0];
            if (!found.Add(name) || depth > MaxDepth || resources[name] is not JsonObject resource)
            {
                continue;
            }
            if (resource["connectionString"]?.GetValue<string>() is { } connectionString)
            {
                Collect(name, connectionString, found, depth + 1);
            }
        }
    }

    private List<DeploymentValuePart> ResolveParts(string owner, string text, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new PublishingException($"resource '{owner}': expressions refer to each other in a loop");
        }
        var parts = new List<DeploymentValuePart>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var end = text.IndexOf('}', i);
                if (end < 0)
                {
                    throw new PublishingException($"resource '{owner}': unclosed '{{' in \"{text}\"");
                }
                if (literal.Length > 0)
                {
                    parts.Add(new LiteralPart(literal.ToString()));
                    literal.Clear();
                }
                parts.AddRange(ResolveExpression(owner, text[(i + 1)..end], depth));
                i = end;
            }
            else
            {
                literal.Append(c);
            }
        }
        if (literal.Length > 0)
        {
            parts.Add(new LiteralPart(literal.ToString()));
        }
        return parts;
    }

    private List<DeploymentValuePart> ResolveExpression(string owner, string expression, int depth)
    {
        var segments = expression.Split('.');
        var name = segments[0];
        if (resources[name] is not JsonObject resource)
        {
            throw new PublishingException($"resource '{owner}': {{{expression}}} refers to '{name}', which is not in the manifest");
        }
        var type = resource["type"]?.GetValue<string>() ?? "";
        var path = string.Join('.', segments.Skip(1));
        switch (path)
        {
            case "value" or "inputs.value" when type == "parameter.v0":
                return [new ParameterPart(parameters[name])];
            case "value" when type == "annotated.string":
                return ResolveParts(name, resource["value"]!.GetValue<string>(), depth + 1);
            case "connectionString" when resource["connectionString"]?.GetValue<string>() is { } connectionString:
                return ResolveParts(name, connectionString, depth + 1);
        }
        if (segments is [_, "bindings", var bindingName, var property])
        {
            if (findPort(name, bindingName) is not { } port)
            {
                throw new PublishingException($"resource '{owner}': {{{expression}}} refers to binding '{bindingName}', which '{name}' does not have (or cannot be reached here)");
            }
            var host = name.ToLowerInvariant();
            // Compose maps no ports between services: others reach the container's own port. A Kubernetes Service maps port to targetPort.
            var servicePort = target == DeploymentTarget.Compose ? port.TargetPort : port.Port;
            string value = property switch
            {
                "url" when port.Scheme == "https" => throw new HttpsNotSupportedException(owner, expression),
                "url" => $"{port.Scheme}://{host}:{servicePort}",
                "host" => host,
                "port" => servicePort.ToString(CultureInfo.InvariantCulture),
                "targetPort" => port.TargetPort.ToString(CultureInfo.InvariantCulture),
                "scheme" => port.Scheme,
                "protocol" => "tcp",
                "transport" => port.Scheme is "http" or "https" ? "http" : "tcp",
                "external" => port.External ? "true" : "false",
                _ => throw new PublishingException($"resource '{owner}': {{{expression}}} asks for '{property}', which a binding does not have"),
            };
            return [new LiteralPart(value)];
        }
        throw new PublishingException($"resource '{owner}': cannot resolve {{{expression}}} ({type} '{name}' has no '{path}')");
    }

    private static IEnumerable<string> Expressions(string owner, string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if ((text[i] == '{' || text[i] == '}') && i + 1 < text.Length && text[i + 1] == text[i])
            {
                i++;
            }
            else if (text[i] == '{')
            {
                var end = text.IndexOf('}', i);
                if (end < 0)
                {
                    throw new PublishingException($"resource '{owner}': unclosed '{{' in \"{text}\"");
                }
                yield return text[(i + 1)..end];
                i = end;
            }
        }
    }

    private static List<DeploymentValuePart> Merge(List<DeploymentValuePart> parts)
    {
        var merged = new List<DeploymentValuePart>();
        foreach (var part in parts)
        {
            if (part is LiteralPart next && merged.Count > 0 && merged[^1] is LiteralPart previous)
            {
                merged[^1] = new LiteralPart(previous.Text + next.Text);
            }
            else
            {
                merged.Add(part);
            }
        }
        return merged;
    }
}

/// <summary>An https URL: compose and plain Kubernetes services carry no certificates, so such variables are left out.</summary>
internal sealed class HttpsNotSupportedException(string owner, string expression)
    : Exception($"resource '{owner}': {{{expression}}} is an https URL")
{
}
