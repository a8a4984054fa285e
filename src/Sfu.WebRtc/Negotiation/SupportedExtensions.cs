using Sfu.WebRtc.Rtp;

namespace Sfu.WebRtc.Negotiation;

/// <summary>Header extensions the SFU reads from publishers, and the ones it writes toward subscribers with fixed ids.</summary>
public static class SupportedExtensions
{
    public const string VideoOrientation = "urn:3gpp:video-orientation";

    /// <summary>Extensions we accept from publishers (answered with the publisher's own ids).</summary>
    public static readonly IReadOnlySet<string> FromPublisher = new HashSet<string>(StringComparer.Ordinal)
    {
        RtpExtensionUris.Mid, RtpExtensionUris.Rid, RtpExtensionUris.RepairedRid,
        RtpExtensionUris.AbsSendTime, RtpExtensionUris.AudioLevel, VideoOrientation,
    };

    public const int TransportWideCcId = 3;

    /// <summary>Ids we use in our offers to subscribers; forwarding rewrites publisher ids to these.</summary>
    public static readonly IReadOnlyList<(int Id, string Uri, string Kind)> ToSubscriber =
    [
        (1, RtpExtensionUris.AudioLevel, "audio"),
        (4, VideoOrientation, "video"),
        // Written by the egress path on every packet (send-side bandwidth estimation), never copied from publishers.
        (TransportWideCcId, RtpExtensionUris.TransportWideCc, "audio"),
        (TransportWideCcId, RtpExtensionUris.TransportWideCc, "video"),
    ];
}
