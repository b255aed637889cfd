using System.Globalization;

namespace LearnApp.Hosting.ApplicationModel;

/// <summary>Turns environment and argument values into run-mode strings or into manifest expressions.</summary>
public static class ExpressionResolver
{
    /// <summary>
    /// The run-mode value. <paramref name="endpointOverride"/> lets the orchestrator answer for one replica's own
    /// endpoint (its private target port); return null from it to use the shared value.
    /// </summary>
    public static async ValueTask<string?> ResolveAsync(
        object? value, Func<EndpointReferenceExpression, string?>? endpointOverride, CancellationToken cancellationToken = default)
    {
        switch (value)
        {
            case null:
                return null;
            case string text:
                return text;
            case ReferenceExpression expression:
                var values = new object?[expression.ValueProviders.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = await ResolveAsync(expression.ValueProviders[i], endpointOverride, cancellationToken);
                }
                return string.Format(CultureInfo.InvariantCulture, expression.Format, values);
            case EndpointReferenceExpression endpointExpression when endpointOverride?.Invoke(endpointExpression) is { } overridden:
                return overridden;
            case EndpointReference endpoint when endpointOverride is not null:
                return await ResolveAsync(endpoint.Property(EndpointProperty.Url), endpointOverride, cancellationToken);
            case IResourceWithConnectionString resource:
                return await ResolveAsync(resource.ConnectionStringExpression, endpointOverride, cancellationToken);
            case IValueProvider provider:
                return await provider.GetValueAsync(cancellationToken);
            default:
                return Convert.ToString(value, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The value as a manifest writes it: literals as they are, everything else as <c>{resource.path}</c>.</summary>
    public static string? ToManifestExpression(object? value) => value switch
    {
        null => null,
        string text => text,
        IManifestExpressionProvider provider => provider.ValueExpression,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
