using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NJsonSchema;

namespace LearnApp.Publishing.Tests;

/// <summary>Loads each schema file once and gives every validation error as one readable line.</summary>
internal static class JsonSchemas
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<JsonSchema>>> s_schemas = new();

    private static readonly HashSet<string> s_schemaMaps = ["properties", "patternProperties", "definitions", "dependencies"];
    private static readonly HashSet<string> s_schemaValues = ["items", "not", "if", "then", "else", "contains", "propertyNames", "additionalItems"];
    private static readonly HashSet<string> s_schemaLists = ["allOf", "anyOf", "oneOf", "items"];

    public static async Task<IReadOnlyList<string>> ValidateAsync(string schemaPath, string json)
    {
        var schema = await s_schemas.GetOrAdd(schemaPath, path => new Lazy<Task<JsonSchema>>(() => LoadAsync(path))).Value;
        return [.. schema.Validate(json).Select(e => $"{e.Path}: {e}")];
    }

    public static async Task AssertValidAsync(string schemaPath, string json, string what)
    {
        var errors = await ValidateAsync(schemaPath, json);
        Assert.True(errors.Count == 0, $"{what} does not validate against {Path.GetFileName(schemaPath)}:\n{string.Join('\n', errors)}");
    }

    // NJsonSchema reads neither draft-06 boolean schemas ("build": false) nor "const": the same meaning is given as
    // {} / {"not": {}} and a one-value "enum".
    private static async Task<JsonSchema> LoadAsync(string path)
    {
        var root = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        ReplaceBooleanSchemas(root);
        return await JsonSchema.FromJsonAsync(root.ToJsonString(), path);
    }

    private static void ReplaceBooleanSchemas(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            if (obj["const"] is { } constant)
            {
                obj.Remove("const");
                obj["enum"] = new JsonArray(constant.DeepClone());
            }
            foreach (var (key, child) in obj.ToList())
            {
                if (child is null)
                {
                    continue;
                }
                if (s_schemaMaps.Contains(key) && child is JsonObject map)
                {
                    foreach (var (name, value) in map.ToList())
                    {
                        if (AsSchema(value) is { } replaced) map[name] = replaced;
                    }
                }
                else if (s_schemaValues.Contains(key) && AsSchema(child) is { } replaced)
                {
                    obj[key] = replaced;
                }
                else if (s_schemaLists.Contains(key) && child is JsonArray list)
                {
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (AsSchema(list[i]) is { } replacedItem) list[i] = replacedItem;
                    }
                }
                ReplaceBooleanSchemas(obj[key]!);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array.OfType<JsonNode>())
            {
                ReplaceBooleanSchemas(item);
            }
        }
    }

    private static JsonObject? AsSchema(JsonNode? value) => value is JsonValue v && v.TryGetValue<bool>(out var allowed)
        ? allowed ? [] : new JsonObject { ["not"] = new JsonObject() }
        : null;
}
