namespace LearnApp.Compose.Live.Tests;

/// <summary>A 16-bit mono PCM WAV made in code: a voiced-sounding tone (fundamental plus harmonics).</summary>
internal static class SpeechWav
{
    public static byte[] Create(double seconds = 1.5, int sampleRate = 16_000)
    {
        var samples = (int)(seconds * sampleRate);
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + (samples * 2));
        writer.Write("WAVE"u8);
        writer.Write("fmt "u8);
        writer.Write(16);
        writer.Write((short)1);            // PCM
        writer.Write((short)1);            // mono
        writer.Write(sampleRate);
        writer.Write(sampleRate * 2);      // byte rate
        writer.Write((short)2);            // block align
        writer.Write((short)16);           // bits per sample
        writer.Write("data"u8);
        writer.Write(samples * 2);
        for (var i = 0; i < samples; i++)
        {
            var t = (double)i / sampleRate;
            var value = (0.5 * Math.Sin(2 * Math.PI * 160 * t)) + (0.25 * Math.Sin(2 * Math.PI * 320 * t)) + (0.12 * Math.Sin(2 * Math.PI * 480 * t));
            writer.Write((short)(value * 0.8 * short.MaxValue));
        }
        writer.Flush();
        return stream.ToArray();
    }
}
