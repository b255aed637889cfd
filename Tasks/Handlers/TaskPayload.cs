using System.Text.Json;
using LearnApp.Data.Entities;
using LearnApp.Tasks.Execution;

namespace LearnApp.Tasks.Handlers;

internal static class TaskPayload
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

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
