using System.Text.Json;
using LearnApp.Data.Entities;
using LearnApp.Tasks.Execution;

namespace LearnApp.Tasks.Handlers;

internal static class TaskPayload
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>The payload, or null when it is not one of <typeparamref name="T"/> (no exception: a caller that only reads ahead).</summary>
    public static T? TryRead<T>(string payload) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(payload, s_json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static T Read<T>(Job job)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(job.Payload ?? "null", s_json)
                ?? throw new PermanentTaskException($"Job {job.Id} has no payload.");
        }
        catch (JsonException ex)
        {
            throw new PermanentTaskException($"Job {job.Id} has an unreadable payload: {ex.Message}");
        }
    }
}
