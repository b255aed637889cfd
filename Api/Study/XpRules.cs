using LearnApp.Data.Entities;

namespace LearnApp.Api.Study;

internal static class XpRules
{
    /// <summary>5 + grade for a recalled card (8..10), 1 for trying.</summary>
    public static int ForReview(int grade) => grade >= 3 ? 5 + grade : 1;
}

internal static class StreakRules
{
    /// <summary>Consecutive UTC days with at least one review.</summary>
    public static void Record(User user, DateOnly today)
    {
        if (user.LastStudyDay == today)
        {
            return;
        }

        user.StreakDays = user.LastStudyDay == today.AddDays(-1) ? user.StreakDays + 1 : 1;
        user.LastStudyDay = today;
    }
}
