using LearnApp.Tasks.Speaking;

namespace LearnApp.Api.Tests.Speaking;

public sealed class SpeechAnalyzerTests
{
    [Theory]
    [InlineData(110, 8_000)]
    [InlineData(220, 16_000)]
    [InlineData(330, 44_100)]
    [InlineData(440, 48_000)]
    public void AToneIsVoicedAtItsPitchForItsDuration(double hz, int sampleRate)
    {
        var analysis = Analyze(TestWav.Tone(hz, 1.5, sampleRate), sampleRate);

        Assert.Equal(1.5, analysis.DurationSeconds, precision: 2);
        Assert.InRange(analysis.VoicedFrameRatio, 0.95, 1.0);
        Assert.NotNull(analysis.Pitch);
        Assert.InRange(analysis.Pitch.MedianHz, hz * 0.98, hz * 1.02);
        // A sine of amplitude 0.5 has an RMS of 0.5 / sqrt(2).
        Assert.Equal(0.5 / Math.Sqrt(2), analysis.Rms, precision: 2);
        Assert.Equal(sampleRate, analysis.SampleRate);
    }

    [Fact]
    public void SilenceHasNoVoiceNoPitchAndNoLoudness()
    {
        var analysis = Analyze(TestWav.Silence(2, 16_000), 16_000);

        Assert.Equal(0, analysis.VoicedFrameRatio);
        Assert.Null(analysis.Pitch);
        Assert.Equal(0, analysis.Rms);
        Assert.Null(analysis.RmsDbfs);
        Assert.Equal(0, analysis.EstimatedSyllablesPerSecond);
    }

    [Fact]
    public void NoiseIsLoudButNotVoiced()
    {
        var analysis = Analyze(TestWav.Noise(2, 16_000), 16_000);

        Assert.True(analysis.Rms > 0.2, $"rms {analysis.Rms}");
        Assert.True(analysis.VoicedFrameRatio < 0.1, $"voiced {analysis.VoicedFrameRatio}");
    }

    [Fact]
    public void SpeakingRateCountsVoicedStretchesPerSecond()
    {
        // Eight 150 ms "syllables" with 150 ms pauses: 8 stretches in 2.4 s.
        var analysis = Analyze(TestWav.Syllables(8, 180, 0.15, 0.15, 16_000), 16_000);

        Assert.Equal(8 / 2.4, analysis.EstimatedSyllablesPerSecond, precision: 1);
        Assert.InRange(analysis.VoicedFrameRatio, 0.35, 0.65);
    }

    [Fact]
    public void TheLongestAllowedRecordingIsAccepted()
    {
        var analysis = Analyze(TestWav.Tone(200, 30, 48_000), 48_000);

        Assert.Equal(30, analysis.DurationSeconds, precision: 2);
        Assert.InRange(analysis.Pitch!.MedianHz, 196, 204);
    }

    public static TheoryData<string, byte[], string> BrokenFiles => new()
    {
        { "stereo", TestWav.Encode(TestWav.Tone(220, 0.5, 16_000), 16_000, channels: 2), "mono" },
        { "8-bit", TestWav.Encode(TestWav.Tone(220, 0.5, 16_000), 16_000, bitsPerSample: 8), "16-bit" },
        { "float", TestWav.Encode(TestWav.Tone(220, 0.5, 16_000), 16_000, format: 3), "PCM" },
        { "96 kHz", TestWav.Encode(TestWav.Tone(220, 0.5, 96_000), 96_000), "sample rate" },
        { "4 kHz", TestWav.Encode(TestWav.Tone(220, 0.5, 4_000), 4_000), "sample rate" },
        { "lying byte rate", TestWav.Encode(TestWav.Tone(220, 0.5, 16_000), 16_000, byteRate: 12_345), "contradicts" },
        { "lying data size", TestWav.Encode(TestWav.Tone(220, 0.5, 16_000), 16_000, dataSizeOverride: 1_000_000), "lies" },
        { "truncated", TestWav.Encode(TestWav.Tone(220, 0.5, 16_000), 16_000)[..5_000], "truncated" },
        { "31 s", TestWav.Encode(TestWav.Silence(31, 8_000), 8_000), "30 s" },
        { "not a wav", "ID3 this is an mp3"u8.ToArray(), "RIFF/WAVE" },
        { "empty data", TestWav.Encode([], 16_000), "no samples" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void BrokenOrUnsupportedFilesAreRefusedWithTheReason(string name, byte[] file, string reason)
    {
        var ok = WavFile.TryRead(file, out _, out var error);

        Assert.False(ok, name);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    private static SpeechAnalysis Analyze(short[] samples, int sampleRate) =>
        SpeechAnalyzer.Analyze(Read(TestWav.Encode(samples, sampleRate)));

    private static WavFile Read(byte[] file)
    {
        Assert.True(WavFile.TryRead(file, out var wav, out var error), error);
        return wav!;
    }
}
