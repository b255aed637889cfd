namespace LearnApp.Tasks.Routing;

public static class TaskRoute
{
    public const string InProcess = "inprocess";
    public const string Queue = "queue";
}
