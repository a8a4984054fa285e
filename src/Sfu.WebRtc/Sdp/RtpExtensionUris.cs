namespace Sfu.WebRtc.Sdp;

/// <summary>Header extension URIs browsers offer, for <see cref="MediaDescription.GetExtensionId"/>.</summary>
public static class RtpExtensionUris
{
    /// <summary>RFC 9143 §15.1: the m-section's mid in each packet, how a bundled transport demultiplexes.</summary>
    public const string Mid = "urn:ietf:params:rtp-hdrext:sdes:mid";

    /// <summary>RFC 8852 §3.1: the simulcast layer's rid.</summary>
    public const string RtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";

    /// <summary>RFC 8852 §3.2: the rid an RTX stream repairs.</summary>
    public const string RepairedRtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    public const string TransportWideCc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public const string AbsSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

    /// <summary>RFC 6464.</summary>
    public const string AudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    public const string TransmissionOffset = "urn:ietf:params:rtp-hdrext:toffset";
    public const string VideoOrientation = "urn:3gpp:video-orientation";
    public const string PlayoutDelay = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";
    public const string DependencyDescriptor = "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";
    public const string VideoLayersAllocation = "http://www.webrtc.org/experiments/rtp-hdrext/video-layers-allocation00";
}
