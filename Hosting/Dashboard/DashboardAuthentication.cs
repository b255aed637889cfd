using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LearnApp.Hosting.Dashboard;

/// <summary>
/// Browser-token login, as Aspire's dashboard: <c>/login?t=&lt;token&gt;</c> sets an HttpOnly cookie; tools send
/// <c>Authorization: Bearer &lt;token&gt;</c>. Without either: 401 for the API, the login page for the UI.
/// </summary>
internal static class DashboardAuthentication
{
    public const string CookieName = "learnapp-dashboard";

    public static IApplicationBuilder UseDashboardAuthentication(this IApplicationBuilder app, DashboardOptions options)
    {
        // The cookie carries a digest of the token, never the token itself.
        var cookieValue = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("learnapp-dashboard:" + options.Token)));
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase))
            {
                if (Matches(request.Query["t"].ToString(), options.Token))
                {
                    context.Response.Cookies.Append(CookieName, cookieValue, new CookieOptions
                    {
                        HttpOnly = true,
                        SameSite = SameSiteMode.Strict,
                        Path = "/",
                        IsEssential = true,
                    });
                    context.Response.Redirect("/");
                    return;
                }
                await WriteLoginPageAsync(context, request.Query.ContainsKey("t"));
                return;
            }

            var authorized = Matches(request.Cookies[CookieName] ?? "", cookieValue)
                || (request.Headers.Authorization.ToString() is { } header
                    && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    && Matches(header["Bearer ".Length..].Trim(), options.Token));
            if (authorized)
            {
                await next(context);
                return;
            }
            if (request.Path.StartsWithSegments("/api"))
            {
                await Results.Problem(
                    title: "Unauthorized",
                    detail: "Open the login link the AppHost printed, or send 'Authorization: Bearer <token>'.",
                    statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
                return;
            }
            context.Response.Redirect("/login");
        });
    }

    private static bool Matches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static Task WriteLoginPageAsync(HttpContext context, bool wrongToken)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/html; charset=utf-8";
        var message = wrongToken ? "<p class=\"err\">That token is not valid for this run.</p>" : "";
        return context.Response.WriteAsync($$"""
            <!doctype html><html><head><meta charset="utf-8"><title>LearnApp dashboard: log in</title>
            <style>body{font:15px system-ui;background:#10141a;color:#dde3ea;display:grid;place-items:center;height:90vh}
            form{background:#1a212b;padding:2em;border-radius:8px}input{font:inherit;padding:.4em;width:22em}.err{color:#ff7b72}</style>
            </head><body><form action="/login" method="get"><h2>LearnApp dashboard</h2>{{message}}
            <p>Paste the token from the AppHost's console (or open the login link it printed).</p>
            <input name="t" type="password" autofocus placeholder="token"> <button>Log in</button></form></body></html>
            """);
    }
}
