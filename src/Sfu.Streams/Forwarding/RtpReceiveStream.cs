using Sfu.Streams.Recovery;
using Sfu.WebRtc.Codecs;
using Sfu.WebRtc.Rtp;

namespace Sfu.Streams.Forwarding;

/// <summary>One incoming RTP stream (one SSRC) of a published track: where ingress extends sequence numbers once.</summary>
public sealed class RtpReceiveStream
{
    private SequenceUnwrapper _unwrapper;
    // Ingress feeds the NACK generator, the egress tick polls it.
    private readonly object _nackGate = new();
    private long _abandonedReported;

    public RtpReceiveStream(UpTrack track, uint ssrc, int layer, string? rid)
    {
        Track = track;
        Ssrc = ssrc;
        Layer = layer;
        Rid = rid;
        Statistics = new ReceiveStatistics(track.ClockRate);
        Keyframes = new KeyframeRequester(track.Time, UpTrack.KeyframeInterval);
        if (track.IsVideo && track.Codec.RtcpFeedback.Contains("nack")) Nack = new NackGenerator(track.Time, track.NackSettings, track.ClockRate);
    }

    /// <summary>Loss detection and NACK scheduling; null where the publisher did not negotiate NACK (audio).</summary>
    public NackGenerator? Nack { get; }

    /// <summary>
    /// Throttles keyframe requests for this stream (one simulcast layer) to one per <see cref="UpTrack.KeyframeInterval"/>.
    /// Per layer, not per track: a request for the high layer (a loss there) must not hold back the low layer's keyframe
    /// a subscriber needs to switch down, and each request asks one layer only, so layers do not throttle each other.
    /// </summary>
    public KeyframeRequester Keyframes { get; }

    /// <summary>Simulcast layer index, 0 = lowest (the order of a=simulcast rids or of the SIM ssrc-group); 0 without simulcast.</summary>
    public int Layer { get; }
    public string? Rid { get; }
    /// <summary>When the last packet arrived (<see cref="TimeProvider"/> timestamp), to tell active layers from paused ones.</summary>
    public long LastPacketTimestamp;

    public UpTrack Track { get; }
    public uint Ssrc { get; }
    public ReceiveStatistics Statistics { get; }
    public long Bytes;

    /// <summary>Called by the ingress stage (one thread per publisher transport).</summary>
    public long OnPacket(ReadOnlySpan<byte> packet, in RtpHeader header, long arrivalTimestamp, long arrivalMicroseconds, out bool keyframe) =>
        OnPacket(packet, header, arrivalTimestamp, arrivalMicroseconds, repaired: false, out keyframe, out _);

    /// <summary>
    /// Extends the sequence number and records the packet. A <paramref name="repaired"/> packet (restored from RTX)
    /// that duplicates a packet already received (<paramref name="outcome"/> = Old) is not recorded: the caller drops it.
    /// </summary>
    /// <param name="sentAfter">For the NACK generator: when the packets lost before this one were sent after (0: unknown).</param>
    /// <param name="rebuilt">A <paramref name="repaired"/> packet the SFU rebuilt from FEC (not a retransmission: it says nothing of the round trip).</param>
    public long OnPacket(ReadOnlySpan<byte> packet, in RtpHeader header, long arrivalTimestamp, long arrivalMicroseconds, bool repaired,
        out bool keyframe, out NackOutcome outcome, long sentAfter = 0, bool rebuilt = false)
    {
        var ext = _unwrapper.Unwrap(header.SequenceNumber);
        keyframe = false;
        if (Track.IsVideo && header.PayloadLength > 0)
        {
            if (Track.TryGetVideoCodec(header.PayloadType, out var codec))
                keyframe = KeyframeDetector.IsKeyframe(codec, packet.Slice(header.HeaderLength, header.PayloadLength));
            if (keyframe) Keyframes.OnKeyframe();
        }
        outcome = NackOutcome.InOrder;
        if (Nack is { } nack)
            lock (_nackGate) outcome = nack.OnPacket(ext, keyframe, header.Marker, repaired, header.Timestamp, sentAfter, rebuilt);
        if (repaired && outcome == NackOutcome.Old) return ext;
        // As libwebrtc's receivers do, a repaired packet is not "received" in the reports: the publisher's loss-based
        // estimate and its FEC rate follow the loss on the path, not what was left after the repair.
        if (!repaired) Statistics.OnPacket(ext, header.Timestamp, arrivalMicroseconds);
        // A plain store read only on the ingress thread when a repair is timed.
        if (Nack is { } n) n.Jitter = TimeSpan.FromMilliseconds(Statistics.JitterMs);
        Bytes += packet.Length;
        LastPacketTimestamp = arrivalTimestamp;
        return ext;
    }

    /// <summary>
    /// Whether a packet that FEC says was sent has not arrived: missing and being requested, or past the newest packet
    /// (a frame's lost last packet, before the next frame shows the gap). Without NACK nothing tracks what is missing,
    /// so any packet the caller does not hold counts.
    /// </summary>
    public bool IsMissingOrAhead(long sequence)
    {
        if (Nack is not { } nack) return true;
        lock (_nackGate) return nack.IsMissing(sequence) || sequence > nack.Highest;
    }

    /// <summary>Whether the packet with extended sequence number <paramref name="sequence"/> is missing and being requested.</summary>
    public bool IsMissing(long sequence)
    {
        if (Nack is not { } nack) return false;
        lock (_nackGate) return nack.IsMissing(sequence);
    }

    /// <summary>
    /// Asks for this stream's next packet on the next NACK when the connection's transport-wide numbers show it was
    /// sent and lost (see <see cref="NackGenerator.SuspectNextLost"/>); true when that request is now due.
    /// </summary>
    public bool SuspectNextLost(ushort sequence, long expectedAt)
    {
        if (Nack is not { } nack) return false;
        lock (_nackGate) return nack.SuspectNextLost(sequence, expectedAt);
    }

    /// <summary>
    /// The sequence numbers to NACK now (see <see cref="NackGenerator.Poll"/>), whether a loss needs a keyframe, and
    /// how many missing packets were given up on since the last call.
    /// </summary>
    public int CollectNacks(Span<ushort> dest, out bool keyframeDue, out long abandoned)
    {
        keyframeDue = false;
        abandoned = 0;
        if (Nack is not { } nack) return 0;
        lock (_nackGate)
        {
            var n = nack.Poll(dest);
            keyframeDue = nack.TakeKeyframeRequest();
            abandoned = nack.Abandoned - _abandonedReported;
            _abandonedReported = nack.Abandoned;
            return n;
        }
    }
}
