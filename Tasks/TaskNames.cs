namespace LearnApp.Tasks;

/// <summary>The task types LearnApp runs; the names are stored in the jobs table and in queue entries.</summary>
public static class TaskNames
{
    public const string AwardXp = "award_xp";
    public const string ProcessSpeakAudio = "process_speak_audio";
    public const string CalculateAllRatings = "calculate_all_ratings";
    public const string SyncImpressionsFromRedis = "sync_impressions_from_redis";

    public const string DefaultHeavyTasks = $"{ProcessSpeakAudio},{CalculateAllRatings},{SyncImpressionsFromRedis}";
}
