namespace Sfu.WebRtc.Srtp;

/// <summary>Outcome of one SRTP/SRTCP protect or unprotect call; only <see cref="Ok"/> leaves a usable packet.</summary>
public enum SrtpResult
{
    Ok,
    /// <summary>Shorter than the RTP/RTCP header it declares plus the SRTP trailer.</summary>
    TooShort,
    /// <summary>Tag mismatch (forged, corrupted, or protected with other keys / another rollover counter).</summary>
    AuthenticationFailed,
    /// <summary>Older than the 128-packet replay window (RFC 3711 §3.3.2).</summary>
    ReplayOld,
    /// <summary>Already accepted once inside the replay window.</summary>
    ReplayDuplicate,
    /// <summary>For callers that map a negotiated profile id this library does not implement; <see cref="SrtpContext"/> itself refuses such profiles at construction.</summary>
    UnknownProfile,
}
