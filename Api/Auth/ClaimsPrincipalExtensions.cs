using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace LearnApp.Api.Auth;

internal static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's id; endpoints that call this require authorization, so it is always there.</summary>
    public static Guid GetUserId(this ClaimsPrincipal principal) =>
        Guid.Parse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub)
            ?? throw new InvalidOperationException("The principal has no subject claim."));
}
