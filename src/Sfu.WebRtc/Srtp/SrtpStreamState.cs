namespace Sfu.WebRtc.Srtp;

/// <summary>
/// What one SSRC needs across packets in one direction (RFC 3711 §3.2.1 cryptographic context, per SSRC):
/// the RTP index window (its highest index carries ROC and s_l), the SRTCP index window, and the next
/// SRTCP index to send. A struct kept inside the context's dictionary, so only a new SSRC allocates.
/// </summary>
internal struct SrtpStreamState
{
    public SrtpReplayWindow Rtp;
    public SrtpReplayWindow Rtcp;
    public uint NextRtcpIndex;
}
