using System.Reflection;
using System.Text.RegularExpressions;
using LearnApp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Api.Tests.Data;

/// <summary>
/// The services run on the compiled models in <c>Data/CompiledModels</c>, which nothing rebuilds: a change in
/// <c>OnModelCreating</c> without <c>dotnet ef dbcontext optimize</c> would leave them serving the old model.
/// EF's model differ cannot read a compiled (read-optimized) model, so the test regenerates the code in memory the
/// way the tool does and compares it with the checked-in files. No database needed.
/// </summary>
public sealed partial class CompiledModelDriftTests
{
    [Fact]
    public void CompiledPostgresModelMatchesOnModelCreating()
    {
        using var db = new PostgresLearnAppDbContext(new DbContextOptionsBuilder<PostgresLearnAppDbContext>()
            .UseNpgsql("Host=localhost;Database=drift").Options);
        AssertCompiledModelIsCurrent(db, "Postgres");
    }

    [Fact]
    public void CompiledSqliteModelMatchesOnModelCreating()
    {
        using var db = new SqliteLearnAppDbContext(new DbContextOptionsBuilder<SqliteLearnAppDbContext>()
            .UseSqlite("Data Source=:memory:").Options);
        AssertCompiledModelIsCurrent(db, "Sqlite");
    }

    private static void AssertCompiledModelIsCurrent(DbContext db, string provider)
    {
        var context = db.GetType().Name;
        var options = new CompiledModelCodeGenerationOptions
        {
            ContextType = db.GetType(),
            ModelNamespace = $"LearnApp.Data.CompiledModels.{provider}",
            Language = "C#",
            UseNullableReferenceTypes = true,
        };
        var services = new ServiceCollection().AddEntityFrameworkDesignTimeServices();
        ProviderDesignTimeServices(db).ConfigureDesignTimeServices(services);
        services.AddDbContextDesignTimeServices(db);
        using var provided = services.BuildServiceProvider();
        // The design-time model is the one built from OnModelCreating, as `dotnet ef dbcontext optimize` uses it.
        var expected = provided.GetRequiredService<ICompiledModelCodeGeneratorSelector>().Select(options)
            .GenerateModel(db.GetService<IDesignTimeModel>().Model, options)
            .ToDictionary(file => file.Path, file => Normalize(file.Code));

        var directory = Path.Combine(RepositoryRoot(), "Data", "CompiledModels", provider);
        var actual = Directory.GetFiles(directory, "*.cs")
            .ToDictionary(path => Path.GetFileName(path), path => Normalize(File.ReadAllText(path)));
        var stale = expected.Keys.Union(actual.Keys)
            .Where(name => !expected.TryGetValue(name, out var code) || !actual.TryGetValue(name, out var file) || code != file)
            .Order()
            .ToList();

        Assert.True(stale.Count == 0,
            $"The compiled model of {context} is not what OnModelCreating gives ({string.Join(", ", stale)}). "
            + $"Regenerate it: dotnet tool restore && dotnet ef dbcontext optimize --project Data --startup-project Data "
            + $"--context {context} --output-dir CompiledModels/{provider} --namespace LearnApp.Data.CompiledModels.{provider}");
    }

    /// <summary>The provider's design-time services, found the way the EF tools find them.</summary>
    private static IDesignTimeServices ProviderDesignTimeServices(DbContext db)
    {
        var assembly = Assembly.Load(db.Database.ProviderName!);
        var typeName = assembly.GetCustomAttribute<DesignTimeProviderServicesAttribute>()!.TypeName;
        return (IDesignTimeServices)Activator.CreateInstance(assembly.GetType(typeName, throwOnError: true)!)!;
    }

    // Every generation draws a new model id; the rest is deterministic.
    private static string Normalize(string code) =>
        ModelId().Replace(code.TrimStart('\uFEFF').ReplaceLineEndings("\n"), "modelId: new Guid()");

    [GeneratedRegex("""modelId: new Guid\("[0-9a-f-]+"\)""")]
    private static partial Regex ModelId();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "LearnApp.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("LearnApp.sln not found above the test output.");
        }
        return directory.FullName;
    }
}
