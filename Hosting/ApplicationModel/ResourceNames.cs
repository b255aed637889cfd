using System.Text.RegularExpressions;

namespace LearnApp.Hosting.ApplicationModel;

internal static partial class ResourceNames
{
    // Aspire's rule: ASCII letters, digits and hyphens, starting with a letter, no double or trailing hyphen.
    [GeneratedRegex("^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-))*(?<!-)$")]
    private static partial Regex ValidName();

    public static void Validate(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > 64 || !ValidName().IsMatch(name))
        {
            throw new ArgumentException(
                $"Resource name '{name}' is invalid: use letters, digits and single hyphens, starting with a letter (at most 64 characters).",
                nameof(name));
        }
    }
}
