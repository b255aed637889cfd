namespace LearnApp.Api.Study;

internal static class XpRules
{
    /// <summary>5 + grade for a recalled card (8..10), 1 for trying.</summary>
    public static int ForReview(int grade) => grade >= 3 ? 5 + grade : 1;
}
