namespace LearnApp.Api.Modes;

/// <summary>What the LearnApp.Api executable does, chosen by its first argument (the contract's modes).</summary>
internal enum ApiMode
{
    Api,
    Worker,
    Scheduler,
    Migrate,
}

internal static class ApiModeParser
{
    /// <summary>The mode named by the first argument; options (<c>--x</c>) or nothing mean <c>api</c>.</summary>
    public static bool TryParse(string[] args, out ApiMode mode, out string? error)
    {
        error = null;
        mode = ApiMode.Api;
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            return true;
        }

        switch (args[0])
        {
            case "api":
                return true;
            case "worker":
                mode = ApiMode.Worker;
                return true;
            case "scheduler":
                mode = ApiMode.Scheduler;
                return true;
            case "migrate":
                mode = ApiMode.Migrate;
                return true;
            default:
                error = $"Unknown mode '{args[0]}': use api (the default), worker, scheduler or migrate.";
                return false;
        }
    }

    /// <summary>The arguments left for the host's configuration once the mode word is taken off.</summary>
    public static string[] HostArguments(string[] args) =>
        args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
}
