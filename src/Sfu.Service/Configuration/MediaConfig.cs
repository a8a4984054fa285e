namespace Sfu.Service.Configuration;

/// <summary>Everything in <c>media.yaml</c>: codec preferences, video layers and capture constraints.</summary>
public sealed record MediaConfig(CodecsConfig Codecs, VideoConfig Video, AudioConfig Audio)
{
    public static readonly MediaConfig Default = new(CodecsConfig.Default, VideoConfig.Default, AudioConfig.Default);
}

/// <summary><c>codecs:</c> what the SFU offers and accepts, each list sorted by priority (most preferred first).</summary>
public sealed record CodecsConfig(ValueList<AudioCodecConfig> Audio, ValueList<VideoCodecConfig> Video)
{
    public static readonly CodecsConfig Default = new(
        ValueList.Of(new AudioCodecConfig("opus", 48000, 2, 1, "minptime=10;useinbandfec=1")),
        ValueList.Of(
            new VideoCodecConfig("VP8", 1, null),
            new VideoCodecConfig("H264", 2, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"),
            new VideoCodecConfig("VP9", 3, "profile-id=0"),
            new VideoCodecConfig("AV1", 4, null)));
}

/// <summary>An audio codec as it appears in SDP (<c>a=rtpmap:PT name/clock_rate/channels</c> and <c>a=fmtp</c>).</summary>
public sealed record AudioCodecConfig(string Name, int ClockRate, int Channels, int Priority, string? Fmtp);

/// <summary>A video codec as it appears in SDP; video RTP always uses a 90 kHz clock.</summary>
public sealed record VideoCodecConfig(string Name, int Priority, string? Fmtp)
{
    public const int ClockRate = 90000;
}

/// <summary><c>video:</c> capture request and simulcast layers handed to publishing clients.</summary>
public sealed record VideoConfig(Resolution PreferredResolution, int MaxFramerate, QualityLevelsConfig QualityLevels)
{
    public static readonly VideoConfig Default = new(new Resolution(1280, 720), 30, QualityLevelsConfig.Default);
}

public readonly record struct Resolution(int Width, int Height)
{
    public override string ToString() => $"{Width}x{Height}";
}

/// <summary><c>video.quality_levels:</c> the simulcast layers, lowest first.</summary>
public sealed record QualityLevelsConfig(QualityLevel Low, QualityLevel Medium, QualityLevel High)
{
    public static readonly QualityLevelsConfig Default = new(
        new QualityLevel(320, 240, 150_000, 15),
        new QualityLevel(640, 480, 500_000, 30),
        new QualityLevel(1280, 720, 2_500_000, 30));
}

public sealed record QualityLevel(int Width, int Height, int Bitrate, int Framerate);

/// <summary><c>audio:</c> getUserMedia constraints handed to clients; the SFU itself never processes audio.</summary>
public sealed record AudioConfig(bool EchoCancellation, bool NoiseSuppression, bool AutoGainControl, int SampleRate, int Channels)
{
    public static readonly AudioConfig Default = new(true, true, true, 48000, 2);
}
