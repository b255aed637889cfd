namespace LearnApp.Publishing.Tests.Manifest;

public sealed class BadArgumentsTests
{
    [Fact]
    public async Task A_missing_output_path_is_a_one_line_error_and_a_failing_exit_code()
    {
        var result = await AppHostPublisher.RunAsync("--publisher", "manifest", "--topology", "scaled");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: --output-path is required with --publisher manifest", result.Error);
    }

    [Fact]
    public async Task An_unknown_publisher_is_a_one_line_error_and_a_failing_exit_code()
    {
        var result = await AppHostPublisher.RunAsync("--publisher", "helm", "--output-path", Repository.CreateTempDirectory());
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.Split('\n'));
        Assert.Contains("'helm'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_output_path_that_cannot_be_written_is_a_one_line_error()
    {
        var blocker = Path.Combine(Repository.CreateTempDirectory(), "a-file");
        await File.WriteAllTextAsync(blocker, "", TestContext.Current.CancellationToken);
        var result = await AppHostPublisher.RunAsync("--publisher", "manifest", "--output-path", Path.Combine(blocker, "m.json"));
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.Split('\n'));
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }
}
