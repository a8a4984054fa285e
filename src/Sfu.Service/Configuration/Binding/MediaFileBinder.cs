using System.Globalization;
using Sfu.Service.Configuration.Yaml;

namespace Sfu.Service.Configuration.Binding;

/// <summary>Binds <c>media.yaml</c>: codec lists, video layers and audio capture constraints.</summary>
internal static class MediaFileBinder
{
    private static readonly (string Name, int ClockRate, int Channels)[] AudioCodecs =
    [
        ("opus", 48000, 2),
        ("PCMU", 8000, 1),
        ("PCMA", 8000, 1),

        // G.722 samples at 16 kHz but is signalled as 8000 for historic reasons (RFC 3551 section 4.5.2).
        ("G722", 8000, 1),
    ];

    public static MediaConfig Bind(MapNode? root, BindContext context)
    {
        var file = new SectionReader(root, "", context);
        var media = new MediaConfig(Codecs(file.Section("codecs")), Video(file.Section("video")), Audio(file.Section("audio")));
        file.Finish();
        return media;
    }

    private static CodecsConfig Codecs(SectionReader s)
    {
        var d = CodecsConfig.Default;
        var audio = s.List("audio", d.Audio, (item, path) => AudioCodec(s.ItemSection(item, path), path));
        var video = s.List("video", d.Video, (item, path) => VideoCodec(s.ItemSection(item, path), path));
        s.Finish();
        if (audio.Count == 0)
        {
            throw s.Error("audio", "needs at least one codec");
        }

        if (video.Count == 0)
        {
            throw s.Error("video", "needs at least one codec");
        }

        // Stable sort: equal priorities keep the order they were written in.
        return new CodecsConfig(new(audio.OrderBy(c => c.Priority)), new(video.OrderBy(c => c.Priority)));
    }

    private static AudioCodecConfig AudioCodec(SectionReader s, string path)
    {
        var name = s.Choice<string?>("name", null, AudioCodecs.Select(c => (c.Name, (string?)c.Name)).ToArray())
            ?? throw s.Error("name", "missing (one of " + string.Join(", ", AudioCodecs.Select(c => c.Name)) + ")");
        var known = AudioCodecs.Single(c => c.Name == name);
        var codec = new AudioCodecConfig(
            Name: name,
            ClockRate: s.Int("clock_rate", known.ClockRate, 8000, 192_000),
            Channels: s.Int("channels", known.Channels, 1, 2),
            Priority: s.Int("priority", Position(path), 0, 1000),
            Fmtp: s.OptionalString("fmtp", Validators.Fmtp));
        s.Finish();

        // These codecs have exactly one rtpmap each; a browser would not match any other (RFC 7587 section 7 for opus).
        if (codec.ClockRate != known.ClockRate || codec.Channels != known.Channels)
        {
            throw s.Error(codec.ClockRate != known.ClockRate ? "clock_rate" : "channels",
                $"{name} is always {known.ClockRate}/{known.Channels} in SDP, got {codec.ClockRate}/{codec.Channels}");
        }

        return codec;
    }

    private static VideoCodecConfig VideoCodec(SectionReader s, string path)
    {
        var name = s.Choice<string?>("name", null, ("VP8", "VP8"), ("VP9", "VP9"), ("H264", "H264"), ("AV1", "AV1"))
            ?? throw s.Error("name", "missing (one of VP8, VP9, H264, AV1)");
        var codec = new VideoCodecConfig(
            Name: name,
            Priority: s.Int("priority", Position(path), 0, 1000),
            Fmtp: s.OptionalString("fmtp", name == "H264" ? Validators.H264Fmtp : Validators.Fmtp));
        s.Finish();
        return codec;
    }

    /// <summary>Without a priority, a codec ranks by its place in the list (1 for the first).</summary>
    private static int Position(string itemPath)
    {
        var open = itemPath.LastIndexOf('[');
        return int.Parse(itemPath.AsSpan(open + 1, itemPath.Length - open - 2), CultureInfo.InvariantCulture) + 1;
    }

    private static VideoConfig Video(SectionReader s)
    {
        var d = VideoConfig.Default;
        var video = new VideoConfig(
            PreferredResolution: ParseResolution(s, "preferred_resolution", d.PreferredResolution),
            MaxFramerate: s.Int("max_framerate", d.MaxFramerate, 1, 120),
            QualityLevels: QualityLevels(s.Section("quality_levels")));
        s.Finish();

        foreach (var (key, level) in Levels(video.QualityLevels))
        {
            if (level.Framerate > video.MaxFramerate)
            {
                throw BindContext.Error(s.Context.SourceOf(s.PathOf($"quality_levels.{key}.framerate"), s.PathOf("max_framerate")),
                    s.PathOf($"quality_levels.{key}.framerate"), $"{level.Framerate} is greater than {s.PathOf("max_framerate")} ({video.MaxFramerate})");
            }
        }

        return video;
    }

    private static Resolution ParseResolution(SectionReader s, string key, Resolution @default)
    {
        var text = s.String(key, @default.ToString()).Trim();
        var parts = text.Split('x', 'X');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height))
        {
            throw s.Error(key, $"expected WIDTHxHEIGHT like 1280x720, got {SectionReader.Quote(text)}");
        }

        if (width is < 16 or > 7680 || height is < 16 or > 4320)
        {
            throw s.Error(key, $"{width}x{height} is out of range (16x16..7680x4320)");
        }

        return new Resolution(width, height);
    }

    private static QualityLevelsConfig QualityLevels(SectionReader s)
    {
        var d = QualityLevelsConfig.Default;
        var levels = new QualityLevelsConfig(
            Low: Level(s.Section("low"), d.Low),
            Medium: Level(s.Section("medium"), d.Medium),
            High: Level(s.Section("high"), d.High));
        s.Finish();

        // Layers are sent together as simulcast; each must cost more than the one below or the
        // allocator could never prefer it.
        var ordered = Levels(levels).ToArray();
        for (var i = 1; i < ordered.Length; i++)
        {
            var (lowerKey, lower) = ordered[i - 1];
            var (key, level) = ordered[i];
            if (level.Bitrate <= lower.Bitrate)
            {
                throw BindContext.Error(s.Context.SourceOf(s.PathOf(key + ".bitrate"), s.PathOf(lowerKey + ".bitrate")),
                    s.PathOf(key + ".bitrate"), $"{level.Bitrate} must be greater than {s.PathOf(lowerKey + ".bitrate")} ({lower.Bitrate})");
            }

            if (level.Width < lower.Width || level.Height < lower.Height)
            {
                throw BindContext.Error(s.Context.SourceOf(s.PathOf(key + ".width"), s.PathOf(key + ".height")),
                    s.PathOf(key), $"{level.Width}x{level.Height} is smaller than {s.PathOf(lowerKey)} ({lower.Width}x{lower.Height})");
            }
        }

        return levels;
    }

    private static IEnumerable<(string Key, QualityLevel Level)> Levels(QualityLevelsConfig levels) =>
        [("low", levels.Low), ("medium", levels.Medium), ("high", levels.High)];

    private static QualityLevel Level(SectionReader s, QualityLevel d)
    {
        var level = new QualityLevel(
            Width: s.Int("width", d.Width, 16, 7680),
            Height: s.Int("height", d.Height, 16, 4320),
            Bitrate: s.Int("bitrate", d.Bitrate, 10_000, 100_000_000),
            Framerate: s.Int("framerate", d.Framerate, 1, 120));
        s.Finish();
        return level;
    }

    private static AudioConfig Audio(SectionReader s)
    {
        var d = AudioConfig.Default;
        var audio = new AudioConfig(
            EchoCancellation: s.Bool("echo_cancellation", d.EchoCancellation),
            NoiseSuppression: s.Bool("noise_suppression", d.NoiseSuppression),
            AutoGainControl: s.Bool("auto_gain_control", d.AutoGainControl),
            SampleRate: s.Int("sample_rate", d.SampleRate, 8000, 96_000),
            Channels: s.Int("channels", d.Channels, 1, 2));
        s.Finish();
        return audio;
    }
}
