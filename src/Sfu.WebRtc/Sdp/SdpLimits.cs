namespace Sfu.WebRtc.Sdp;

/// <summary>
/// Bounds on what the parser accepts. SDP arrives from untrusted clients over signalling; real browser
/// offers are 5-15 KB with a handful of m-sections, so these limits reject abuse without touching real use.
/// </summary>
public static class SdpLimits
{
    /// <summary>Largest accepted description, in UTF-8 bytes.</summary>
    public const int MaxSdpBytes = 64 * 1024;

    public const int MaxMediaSections = 64;

    /// <summary>Largest dynamic RTP payload type; RTP's PT field is 7 bits (RFC 3550 §5.1).</summary>
    public const int MaxPayloadType = 127;

    /// <summary>One-byte header extension ids are 1..14 (RFC 8285 §4.2; 15 is reserved).</summary>
    public const int MaxOneByteExtensionId = 14;

    /// <summary>Two-byte header extension ids are 1..255 (RFC 8285 §4.3), usable once a=extmap-allow-mixed is negotiated.</summary>
    public const int MaxTwoByteExtensionId = 255;
}
