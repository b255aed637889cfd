using Microsoft.Extensions.FileProviders;

namespace LearnApp.Api.Infrastructure;

/// <summary>The single topology: the Api serves the built SPA from <c>Frontend:DistPath</c> when that folder exists.</summary>
internal static class SpaHostingExtensions
{
    public const string DistPathKey = "Frontend:DistPath";

    /// <summary>Serves the SPA's files (before routing, so they win over endpoints); false when there is no SPA.</summary>
    public static bool UseSpaFilesIfPresent(this WebApplication app)
    {
        var files = SpaFiles(app);
        if (files is null)
        {
            return false;
        }

        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        return true;
    }

    /// <summary>Client-side routes fall back to index.html; <c>/api/*</c> never does, so unknown calls stay 404 problems.</summary>
    public static void MapSpaFallback(this WebApplication app)
    {
        var files = SpaFiles(app)!;
        app.MapFallback("/{**path:regex(^(?!api/).*$)}", async context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.SendFileAsync(files.GetFileInfo("index.html"));
        });
    }

    private static PhysicalFileProvider? SpaFiles(WebApplication app)
    {
        var distPath = app.Configuration[DistPathKey];
        return string.IsNullOrWhiteSpace(distPath) || !Directory.Exists(distPath)
            ? null
            : new PhysicalFileProvider(Path.GetFullPath(distPath));
    }
}
