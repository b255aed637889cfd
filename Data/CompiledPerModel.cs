using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace LearnApp.Data;

/// <summary>
/// A compiled query (<see cref="EF.CompileAsyncQuery{TContext, TParam1, TResult}(System.Linq.Expressions.Expression{Func{TContext, TParam1, TResult}})"/>)
/// for each model it meets. EF binds a compiled query to the model of the first context it runs on and refuses any
/// other, and LearnApp has two (PostgreSQL, SQLite; the test host uses both in one process). Written against
/// <see cref="LearnAppDbContext"/>, the query is compiled once per model on first use, so call sites need no
/// provider switch.
/// </summary>
/// <param name="compile">Compiles the query, e.g. <c>() =&gt; EF.CompileAsyncQuery((LearnAppDbContext db, Guid id, CancellationToken _) =&gt; …)</c>.</param>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile) where TQuery : Delegate
{
    private readonly ConcurrentDictionary<IModel, TQuery> _byModel = new(ReferenceEqualityComparer.Instance);

    /// <summary>The query compiled for <paramref name="db"/>'s model.</summary>
    public TQuery For(LearnAppDbContext db) => _byModel.GetOrAdd(db.Model, static (_, compile) => compile(), compile);
}
