using System.Security.Cryptography;
using System.Text;
using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting;

internal static class VolumeNames
{
    /// <summary>Aspire's volume name: <c>&lt;app&gt;-&lt;10 hex of the AppHost path&gt;-&lt;resource&gt;-&lt;suffix&gt;</c>.</summary>
    public static string Generate<T>(IResourceBuilder<T> builder, string suffix) where T : IResource
    {
        var appName = builder.ApplicationBuilder is DistributedApplicationBuilder concrete ? concrete.ApplicationName : "apphost";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ApplicationBuilder.AppHostDirectory)))[..10];
        var safeName = new string([.. appName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-')]);
        return $"{safeName}-{hash}-{builder.Resource.Name}-{suffix}";
    }
}
