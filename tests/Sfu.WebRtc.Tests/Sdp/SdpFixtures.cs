using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Tests.Sdp;

internal static class SdpFixtures
{
    public const string ChromeAudioVideo = "chrome-offer-audio-video.sdp";
    public const string ChromeSimulcast = "chrome-offer-simulcast.sdp";
    public const string ChromeAnswer = "chrome-answer-to-server-offer.sdp";
    public const string ChromeRecvOnlyOffer = "chrome-server-offer-recvonly.sdp";
    public const string Firefox = "firefox-offer.sdp";
    public const string Aiortc = "aiortc-offer.sdp";

    public static readonly string[] All = [ChromeAudioVideo, ChromeSimulcast, ChromeAnswer, ChromeRecvOnlyOffer, Firefox, Aiortc];

    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sdp", name));

    public static SessionDescription Parse(string name) => SessionDescription.Parse(Read(name));

    /// <summary>The smallest description the parser accepts with one RTP section; malformed-input tests edit one line of it.</summary>
    public static readonly string[] MinimalLines =
    [
        "v=0",
        "o=- 1 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111",
        "c=IN IP4 0.0.0.0",
        "a=mid:0",
        "a=rtpmap:111 opus/48000/2",
        "a=rtcp-mux",
    ];

    public static string Minimal(int replaceLine = 0, string? with = null)
    {
        var lines = MinimalLines.ToList();
        if (replaceLine > 0) lines[replaceLine - 1] = with!;
        return string.Join("\r\n", lines) + "\r\n";
    }
}
