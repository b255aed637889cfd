using System.Globalization;

namespace LearnApp.Compose.Live.Tests;

public sealed class ImageTests(LiveImages images, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_image_starts_as_a_non_root_user()
    {
        LiveImages.SkipIfRequested();
        output.WriteLine($"images built (or found cached) in {images.BuildTime.TotalSeconds:0} s");
        foreach (var image in LiveImages.ServiceImages.Concat(LiveImages.DataImages))
        {
            // The image's own user, not one given on the command line: what `docker run IMAGE` gets.
            var uid = await Docker.OutputAsync("run", "--rm", "--entrypoint", "id", image, "-u");
            Assert.NotEqual("0", uid);
            var size = await Docker.ImageSizeAsync(image);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"image {image}: {size / 1e6:0} MB, runs as uid {uid}"));
        }
    }

    [Fact]
    public async Task Every_service_image_declares_a_health_check()
    {
        LiveImages.SkipIfRequested();
        foreach (var image in LiveImages.ServiceImages)
        {
            var test = await Docker.OutputAsync("image", "inspect", "--format", "{{json .Config.Healthcheck.Test}}", image);
            Assert.StartsWith("[\"CMD", test, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_dotnet_image_refuses_an_unknown_mode_with_one_line_naming_the_four()
    {
        LiveImages.SkipIfRequested();
        var result = await Docker.RunAsync(TimeSpan.FromMinutes(1), "run", "--rm", "--label", "org.learnapp.live=1", LiveImages.ServiceImages[0], "frobnicate");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("Unknown mode 'frobnicate': use api (the default), worker, scheduler or migrate.", result.Error.Trim());
    }

    [Fact]
    public async Task The_data_images_honour_the_official_images_environment()
    {
        LiveImages.SkipIfRequested();
        var name = $"learnapp-live-pg-{Guid.NewGuid():N}"[..30];
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        try
        {
            // The password goes through the environment, never on a command line.
            (await CommandLine.RunAsync(
                Docker.Cli,
                ["run", "--detach", "--name", name, "--label", "org.learnapp.live=1",
                    "--env", "POSTGRES_USER=owner", "--env", "POSTGRES_PASSWORD", "--env", "POSTGRES_DB=appdb", LiveImages.DataImages[0]],
                TimeSpan.FromMinutes(1),
                new Dictionary<string, string?> { ["POSTGRES_PASSWORD"] = password })).EnsureSuccess();
            // The server answers on TCP only after the init process is complete.
            await Eventually.HoldsAsync("PostgreSQL to accept connections", TimeSpan.FromSeconds(60), async () =>
                (await Docker.RunAsync(TimeSpan.FromSeconds(20), "exec", name, "pg_isready", "-h", "127.0.0.1", "-U", "owner", "-d", "appdb")).ExitCode == 0);
            var who = await Docker.OutputAsync("exec", name, "bash", "-c",
                "PGPASSWORD=\"$POSTGRES_PASSWORD\" psql -h 127.0.0.1 -U owner -d appdb -tAc \"select current_user || '@' || current_database()\"");
            Assert.Equal("owner@appdb", who);
        }
        finally
        {
            await Docker.RunAsync(TimeSpan.FromMinutes(1), "rm", "--force", "--volumes", name);
        }
    }
}
