namespace Sfu.WebRtc.Negotiation;

/// <summary>One codec the SFU forwards, in preference order (from config/media.yaml: lower priority value first).</summary>
/// <param name="RequiredFmtp">fmtp parameters an offered codec must carry to match, e.g. packetization-mode=1 for H264.</param>
public sealed record CodecPreference(string Kind, string Name, int ClockRate, int Channels, int Priority, IReadOnlyDictionary<string, string> RequiredFmtp)
{
    public static IReadOnlyList<CodecPreference> Defaults { get; } =
    [
        new("audio", "opus", 48000, 2, 1, new Dictionary<string, string>()),
        new("video", "VP8", 90000, 0, 1, new Dictionary<string, string>()),
        new("video", "H264", 90000, 0, 2, new Dictionary<string, string> { ["packetization-mode"] = "1" }),
        new("video", "VP9", 90000, 0, 3, new Dictionary<string, string>()),
        new("video", "AV1", 90000, 0, 4, new Dictionary<string, string>()),
    ];
}
