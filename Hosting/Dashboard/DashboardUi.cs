using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LearnApp.Hosting.Dashboard;

/// <summary>The single-page UI: one HTML file with its script and styles, embedded in the assembly.</summary>
internal static class DashboardUi
{
    private static readonly Lazy<string> s_page = new(() =>
    {
        using var stream = typeof(DashboardUi).Assembly.GetManifestResourceStream("LearnApp.Hosting.Dashboard.index.html")
            ?? throw new InvalidOperationException("The dashboard page is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IEndpointRouteBuilder MapDashboardUi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => TypedResults.Content(s_page.Value, "text/html; charset=utf-8"));
        // Client routes (/consolelogs/resource/{name}, /traces/detail/{id}, ...) get the same page.
        foreach (var view in new[] { "consolelogs", "structuredlogs", "traces", "metrics" })
        {
            endpoints.MapGet($"/{view}/{{**rest}}", () => TypedResults.Content(s_page.Value, "text/html; charset=utf-8"));
        }
        return endpoints;
    }
}
