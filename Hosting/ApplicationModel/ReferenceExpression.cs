using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace LearnApp.Hosting.ApplicationModel;

/// <summary>
/// A string with holes for values known only later: in run mode each hole is resolved to its value, in a manifest it
/// is written as its expression. <c>ReferenceExpression.Create($"{db};Pooling=true")</c>.
/// </summary>
public sealed class ReferenceExpression : IManifestExpressionProvider, IValueProvider
{
    private ReferenceExpression(string format, IReadOnlyList<object> valueProviders)
    {
        Format = format;
        ValueProviders = valueProviders;
    }

    /// <summary>A composite format string (<c>{0}</c>, <c>{1}</c>…) whose holes are <see cref="ValueProviders"/>.</summary>
    public string Format { get; }

    /// <summary>Each is an <see cref="IValueProvider"/> and an <see cref="IManifestExpressionProvider"/>.</summary>
    public IReadOnlyList<object> ValueProviders { get; }

    public string ValueExpression => string.Format(CultureInfo.InvariantCulture, Format,
        ValueProviders.Select(provider => (object)((IManifestExpressionProvider)provider).ValueExpression).ToArray());

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) =>
        ExpressionResolver.ResolveAsync(this, endpointOverride: null, cancellationToken);

    public static ReferenceExpression Create(in ExpressionInterpolatedStringHandler handler) => handler.Build();

    public override string ToString() => ValueExpression;

    [InterpolatedStringHandler]
    public ref struct ExpressionInterpolatedStringHandler
    {
        private readonly StringBuilder _format;
        private readonly List<object> _providers;

        public ExpressionInterpolatedStringHandler(int literalLength, int formattedCount)
        {
            _format = new StringBuilder(literalLength + formattedCount * 4);
            _providers = new List<object>(formattedCount);
        }

        public readonly void AppendLiteral(string value) =>
            _format.Append(value.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));

        public readonly void AppendFormatted<T>(T value)
        {
            if (value is IValueProvider and IManifestExpressionProvider)
            {
                _format.Append(CultureInfo.InvariantCulture, $"{{{_providers.Count}}}");
                _providers.Add(value);
            }
            else
            {
                AppendLiteral(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
            }
        }

        internal readonly ReferenceExpression Build() => new(_format.ToString(), _providers);
    }
}
