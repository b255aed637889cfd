using LearnApp.Api.Study;

namespace LearnApp.Api.Tests;

public sealed class Sm2SchedulerTests
{
    // Worked by hand from the SM-2 rules: intervals 1, 6, then ceil(previous x EF); EF moves by
    // 0.1 - (5-q)(0.08 + (5-q)0.02) after a success (+0.1, 0, -0.14 for q = 5, 4, 3); below 3 resets to 1 day.
    public static TheoryData<int[], int[], double[]> KnownSequences => new()
    {
        { [5, 5, 5], [1, 6, 17], [2.6, 2.7, 2.8] },
        { [4, 4, 4, 4], [1, 6, 15, 38], [2.5, 2.5, 2.5, 2.5] },
        { [3, 3, 3], [1, 6, 14], [2.36, 2.22, 2.08] },
        { [5, 5, 2, 4, 4, 4], [1, 6, 1, 1, 6, 17], [2.6, 2.7, 2.7, 2.7, 2.7, 2.7] },
        { [0, 1, 2], [1, 1, 1], [2.5, 2.5, 2.5] },
        { [3, 3, 3, 3, 3, 3, 3, 3, 3, 3], [1, 6, 14, 30, 59, 107, 178, 271, 374, 487], [2.36, 2.22, 2.08, 1.94, 1.8, 1.66, 1.52, 1.38, 1.3, 1.3] },
    };

    [Theory]
    [MemberData(nameof(KnownSequences))]
    public void ReviewsFollowTheKnownSm2Sequence(int[] grades, int[] expectedIntervals, double[] expectedEaseFactors)
    {
        var state = Sm2State.New;
        for (var i = 0; i < grades.Length; i++)
        {
            state = Sm2Scheduler.Review(state, grades[i]);
            Assert.Equal(expectedIntervals[i], state.IntervalDays);
            Assert.Equal(expectedEaseFactors[i], state.EaseFactor, precision: 10);
        }
    }

    [Fact]
    public void IntervalsStopAtOneHundredYears()
    {
        var state = Sm2State.New;
        var intervals = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            state = Sm2Scheduler.Review(state, 5);
            intervals.Add(state.IntervalDays);
        }

        // Uncapped: ..., 13,752, 46,757 (the 10th), ..., 8,283,309 days (the 14th, past year 9999).
        Assert.Equal(intervals.Order(), intervals);
        Assert.Equal(13_752, intervals[8]);
        Assert.All(intervals[9..], interval => Assert.Equal(36_500, interval));
    }

    [Fact]
    public void AFailedReviewRestartsRepetitions()
    {
        var state = Sm2Scheduler.Review(Sm2Scheduler.Review(Sm2State.New, 5), 5);

        var failed = Sm2Scheduler.Review(state, 1);

        Assert.Equal(0, failed.Repetitions);
        Assert.Equal(1, failed.IntervalDays);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(6)]
    public void GradesOutsideZeroToFiveAreRejected(int grade) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Sm2Scheduler.Review(Sm2State.New, grade));
}
