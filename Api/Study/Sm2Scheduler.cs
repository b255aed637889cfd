namespace LearnApp.Api.Study;

/// <summary>
/// SuperMemo 2 (Wozniak, 1990). Grades 0..5. A grade of 3 or more is a success: the first interval is 1 day, the
/// second 6, then the previous interval times the ease factor, rounded up. A grade below 3 starts the repetitions
/// again at 1 day and, as in the original, leaves the ease factor alone. After a success the ease factor moves by
/// 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02), never below 1.3. Intervals stop at <see cref="MaximumIntervalDays"/>.
/// </summary>
public static class Sm2Scheduler
{
    public const double InitialEaseFactor = 2.5;
    public const double MinimumEaseFactor = 1.3;

    /// <summary>
    /// 100 years, Anki's default maximum interval. SM-2 has none: interval x EF grows geometrically, and a card
    /// answered perfectly 14 times in a row (reviews are allowed before a card is due) would be due after year 9999,
    /// which no date type stores; the 10th is the first to reach the cap.
    /// </summary>
    public const int MaximumIntervalDays = 36_500;

    public static Sm2State Review(Sm2State state, int grade)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grade, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(grade, 5);

        if (grade < 3)
        {
            return state with { Repetitions = 0, IntervalDays = 1 };
        }

        var repetitions = state.Repetitions + 1;
        var interval = repetitions switch
        {
            1 => 1,
            2 => 6,
            // Rounded to micro-days first, so 6 x 2.5 stays 15 and not 16 through binary noise.
            _ => (int)Math.Min(MaximumIntervalDays, Math.Ceiling(Math.Round(state.IntervalDays * state.EaseFactor, 6))),
        };
        var miss = 5 - grade;
        var easeFactor = Math.Max(MinimumEaseFactor, Math.Round(state.EaseFactor + (0.1 - (miss * (0.08 + (miss * 0.02)))), 2));
        return new Sm2State(repetitions, interval, easeFactor);
    }
}

public sealed record Sm2State(int Repetitions, int IntervalDays, double EaseFactor)
{
    public static Sm2State New { get; } = new(0, 0, Sm2Scheduler.InitialEaseFactor);
}
