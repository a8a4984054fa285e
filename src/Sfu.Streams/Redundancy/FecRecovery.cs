using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Fec;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Redundancy;

/// <summary>
/// Repairs the publisher leg from the publisher's own FlexFEC: when a FEC packet arrives and exactly one packet it
/// protects is missing (being NACKed, or a frame's lost last packet not yet missed), the SFU rebuilds it at once
/// instead of waiting a round trip for its retransmission. This is what saves a packet whose retransmission is lost
/// too: libwebrtc resends a packet only once per RTT + 5 ms, so a second retransmission lands about two round trips
/// after the loss, when its frame is already due. The rebuilt packet is the original byte for byte, so it is forwarded, stored for later FEC and
/// protected toward subscribers like a packet that was never lost.
/// </summary>
/// <remarks>Publisher ingress thread only, like <see cref="FecSourceWindow"/> it reads.</remarks>
public sealed class FecRecovery(FecSourceWindow originals)
{
    private readonly byte[] _work = new byte[MediaPacket.BufferSize];

    /// <summary>FEC packets that could not rebuild anything: nothing missing, two or more missing (NACK repairs those),
    /// a protected packet held only as restored from RTX, or malformed.</summary>
    public long NothingMissing, TooManyMissing, Unusable, Invalid;

    /// <summary>
    /// Rebuilds the missing packet <paramref name="fec"/> protects, in place of the FEC packet (its buffer then holds
    /// the media packet). Returns the stream the packet belongs to; null, leaving the FEC packet as it was, when the
    /// FEC repairs nothing that is missing now.
    /// </summary>
    public RtpReceiveStream? TryRecover(MediaPacket fec, in RtpHeader header, UpTrack track)
    {
        var payload = fec.Span.Slice(header.HeaderLength, header.PayloadLength);
        if (!FlexFec03Header.TryParse(payload, out var h)) return null;
        var stream = FindStream(track, h.ProtectedSsrc);
        if (stream is null) return null;
        var held = new Held(originals, stream);
        switch (FlexFecDecoder.TryRecover(payload, held, _work, fec.Buffer, out var length, out var sequence))
        {
            case FecRecoveryResult.Recovered:
                fec.Length = length;
                return stream;
            case FecRecoveryResult.NothingMissing:
                NothingMissing++;
                return null;
            case FecRecoveryResult.TooManyMissing:
                TooManyMissing++;
                return null;
            case FecRecoveryResult.Unusable:
                Unusable++;
                return null;
            default:
                Invalid++;
                return null;
        }
    }

    private static RtpReceiveStream? FindStream(UpTrack track, uint ssrc)
    {
        foreach (var s in track.Streams)
            if (s.Ssrc == ssrc) return s;
        return null;
    }

    /// <summary>
    /// What the receiver holds: the window's originals. A packet not in the window counts as missing only if the
    /// stream is still asking for it or has not got that far (a frame's lost last packet: the FEC that follows the
    /// frame rebuilds it before the next frame would show the gap); one that came as RTX (not byte-exact, so not
    /// stored) or is older than the window is held but unusable (empty), which makes the FEC packet unusable rather
    /// than "repairing" it again.
    /// </summary>
    private readonly struct Held(FecSourceWindow window, RtpReceiveStream stream) : IFecPacketSource
    {
        public bool TryGet(ushort sequence, out ReadOnlySpan<byte> packet)
        {
            var extended = window.Unwrap(sequence);
            if (window.TryGet(extended, out packet)) return true;
            // Received but not stored, or too old: held, but not as sent.
            return !stream.IsMissingOrAhead(extended);
        }
    }
}
