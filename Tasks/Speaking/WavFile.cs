using System.Buffers.Binary;
using System.Globalization;

namespace LearnApp.Tasks.Speaking;

/// <summary>
/// A RIFF/WAVE recording in the one format speaking practice takes: PCM, 16-bit, mono, 8 to 48 kHz, at most
/// 30 seconds and 5 MB. <see cref="TryRead"/> checks the header against the bytes actually there, so truncated
/// files and headers that lie about their sizes or rates are refused with the reason.
/// </summary>
public sealed class WavFile
{
    public const int MaxBytes = 5 * 1024 * 1024;
    public const int MinSampleRate = 8_000;
    public const int MaxSampleRate = 48_000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(30);

    private const ushort PcmFormat = 1;
    private const ushort ExtensibleFormat = 0xFFFE;

    private WavFile(int sampleRate, short[] samples)
    {
        SampleRate = sampleRate;
        Samples = samples;
    }

    public int SampleRate { get; }

    public short[] Samples { get; }

    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);

    public static bool TryRead(ReadOnlySpan<byte> bytes, out WavFile? wav, out string? error)
    {
        wav = null;
        error = Check(bytes, out var sampleRate, out var data);
        if (error is not null)
        {
            return false;
        }

        var samples = new short[data.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data.Slice(i * 2, 2));
        }
        wav = new WavFile(sampleRate, samples);
        return true;
    }

    private static string? Check(ReadOnlySpan<byte> bytes, out int sampleRate, out ReadOnlySpan<byte> data)
    {
        sampleRate = 0;
        data = default;
        if (bytes.Length > MaxBytes)
        {
            return $"The recording is {bytes.Length} bytes; at most {MaxBytes} (5 MB) are accepted.";
        }
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            return "The file is not a RIFF/WAVE file.";
        }

        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(4, 4));
        if (riffSize + 8L > bytes.Length)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The file is truncated: its RIFF header announces {riffSize + 8L} bytes, but only {bytes.Length} arrived.");
        }

        var format = (Found: false, Tag: (ushort)0, Channels: (ushort)0, Rate: 0u, ByteRate: 0u, BlockAlign: (ushort)0, Bits: (ushort)0);
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = bytes.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(offset + 4, 4));
            var bodyStart = offset + 8;
            if (size > bytes.Length - bodyStart)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"The file is truncated or its header lies: chunk '{System.Text.Encoding.ASCII.GetString(id)}' announces {size} bytes, but only {bytes.Length - bodyStart} follow.");
            }

            var body = bytes.Slice(bodyStart, (int)size);
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16)
                {
                    return "The fmt chunk is too short.";
                }
                format = (true,
                    BinaryPrimitives.ReadUInt16LittleEndian(body[..2]),
                    BinaryPrimitives.ReadUInt16LittleEndian(body.Slice(2, 2)),
                    BinaryPrimitives.ReadUInt32LittleEndian(body.Slice(4, 4)),
                    BinaryPrimitives.ReadUInt32LittleEndian(body.Slice(8, 4)),
                    BinaryPrimitives.ReadUInt16LittleEndian(body.Slice(12, 2)),
                    BinaryPrimitives.ReadUInt16LittleEndian(body.Slice(14, 2)));
                if (format.Tag == ExtensibleFormat && size >= 40)
                {
                    // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
                    format.Tag = BinaryPrimitives.ReadUInt16LittleEndian(body.Slice(24, 2));
                }
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!format.Found)
                {
                    return "The data chunk comes before any fmt chunk.";
                }

                var formatError = CheckFormat(format.Tag, format.Channels, format.Rate, format.ByteRate, format.BlockAlign, format.Bits);
                if (formatError is not null)
                {
                    return formatError;
                }
                if (size % 2 != 0)
                {
                    return "The data chunk holds half a sample: 16-bit audio needs an even number of bytes.";
                }
                if (size == 0)
                {
                    return "The recording has no samples.";
                }

                var seconds = size / 2.0 / format.Rate;
                if (seconds > MaxDuration.TotalSeconds)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"The recording lasts {seconds:0.0} s; at most {MaxDuration.TotalSeconds:0} s are accepted.");
                }

                sampleRate = (int)format.Rate;
                data = body;
                return null;
            }

            // Chunks are padded to an even length.
            offset = bodyStart + (int)size + (int)(size & 1);
        }

        return format.Found ? "The file has no data chunk." : "The file has no fmt chunk.";
    }

    private static string? CheckFormat(ushort tag, ushort channels, uint rate, uint byteRate, ushort blockAlign, ushort bits)
    {
        if (tag != PcmFormat)
        {
            return $"The audio is encoded with format {tag}; only uncompressed PCM (format 1) is accepted.";
        }
        if (channels != 1)
        {
            return $"The recording has {channels} channels; only mono is accepted.";
        }
        if (bits != 16)
        {
            return $"The samples are {bits}-bit; only 16-bit PCM is accepted.";
        }
        if (rate is < MinSampleRate or > MaxSampleRate)
        {
            return $"The sample rate is {rate} Hz; it must be between {MinSampleRate} and {MaxSampleRate} Hz.";
        }
        if (blockAlign != 2 || byteRate != rate * 2)
        {
            return $"The header contradicts itself: {rate} Hz mono 16-bit means {rate * 2} bytes/s and 2-byte blocks, not {byteRate} and {blockAlign}.";
        }
        return null;
    }
}
