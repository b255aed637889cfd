using System.Buffers.Binary;

namespace LearnApp.Api.Tests.Speaking;

/// <summary>WAV files generated in code: tones, silence, noise, and deliberately broken headers.</summary>
internal static class TestWav
{
    public static short[] Tone(double hz, double seconds, int sampleRate, double amplitude = 0.5) =>
        [.. Enumerable.Range(0, (int)(seconds * sampleRate)).Select(i => (short)(amplitude * short.MaxValue * Math.Sin(2 * Math.PI * hz * i / sampleRate)))];

    public static short[] Silence(double seconds, int sampleRate) => new short[(int)(seconds * sampleRate)];

    public static short[] Noise(double seconds, int sampleRate, double amplitude = 0.5)
    {
        var random = new Random(42);
        return [.. Enumerable.Range(0, (int)(seconds * sampleRate)).Select(_ => (short)(amplitude * short.MaxValue * ((random.NextDouble() * 2) - 1)))];
    }

    /// <summary>Bursts of tone separated by silence, like syllables.</summary>
    public static short[] Syllables(int count, double hz, double onSeconds, double offSeconds, int sampleRate) =>
        [.. Enumerable.Range(0, count).SelectMany(_ => Tone(hz, onSeconds, sampleRate).Concat(Silence(offSeconds, sampleRate)))];

    public static byte[] Encode(short[] samples, int sampleRate, ushort channels = 1, ushort bitsPerSample = 16, ushort format = 1,
        uint? byteRate = null, uint? dataSizeOverride = null)
    {
        var data = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), samples[i]);
        }

        var file = new byte[44 + data.Length];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(36 + data.Length));
        "WAVE"u8.CopyTo(file.AsSpan(8));
        "fmt "u8.CopyTo(file.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(20), format);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(22), channels);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24), (uint)sampleRate);
        var blockAlign = (ushort)(channels * bitsPerSample / 8);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(28), byteRate ?? (uint)(sampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(32), blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(34), bitsPerSample);
        "data"u8.CopyTo(file.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(40), dataSizeOverride ?? (uint)data.Length);
        data.CopyTo(file.AsSpan(44));
        return file;
    }
}
