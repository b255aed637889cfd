namespace LearnApp.Hosting.ApplicationModel;

/// <summary>Something whose value is known only in run mode (an allocated port, a generated password).</summary>
public interface IValueProvider
{
    ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default);
}

/// <summary>Something a manifest writes as an expression, e.g. <c>{db.connectionString}</c> or <c>{jwt-key.value}</c>.</summary>
public interface IManifestExpressionProvider
{
    string ValueExpression { get; }
}
