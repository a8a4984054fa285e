using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Bandwidth;

/// <summary>
/// Transport-cc feedback toward one publisher connection, so the publisher's browser runs its own send-side
/// congestion control (GCC) against the path to us: ingress records every RTP packet's transport-wide sequence
/// number and arrival time (<see cref="OnPacket"/>, on the ingress thread), and the publisher session's periodic
/// RTCP tick collects the feedback (<see cref="TryBuild"/>, on the egress thread). Nothing hops threads per packet.
/// </summary>
/// <remarks>
/// Timing follows libwebrtc's RemoteEstimatorProxy: feedback every <see cref="Interval"/> (it uses 50-250 ms by
/// bitrate; at our media rates the low end), or sooner when <see cref="PendingLimit"/> packets wait, so one feedback
/// stays within a packet and the sender's loss and delay view stays fresh during a burst (a keyframe).
/// </remarks>
public sealed class PublisherFeedback
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Packets waiting that make the next tick send even before <see cref="Interval"/> has passed.</summary>
    public const int PendingLimit = 64;

    private readonly ReceiveSideFeedbackBuilder _builder;
    private readonly long _intervalMicros;
    private readonly object _gate = new();
    private long _lastSentMicros = long.MinValue;
    private int _pending;

    /// <param name="extensionId">The transport-wide sequence number extension id the publisher negotiated.</param>
    public PublisherFeedback(uint senderSsrc, byte extensionId, TimeSpan? interval = null)
    {
        _builder = new ReceiveSideFeedbackBuilder(senderSsrc);
        ExtensionId = extensionId;
        _intervalMicros = (long)(interval ?? Interval).TotalMicroseconds;
    }

    public byte ExtensionId { get; }

    public long PacketsRecorded { get; private set; }

    /// <summary>Packets without the extension (a publisher that negotiated it sends it on every RTP packet).</summary>
    public long PacketsWithoutSequence { get; private set; }

    public long FeedbackPacketsSent { get; private set; }

    /// <summary>
    /// Records one RTP packet (media, RTX or padding probe) as it arrived from the publisher. Returns its transport-wide
    /// sequence number (loss detection reads it too, see TransportLossDetector), or -1 when it carries none.
    /// </summary>
    public int OnPacket(ReadOnlySpan<byte> packet, in RtpHeader header, long arrivalMicros)
    {
        if (!RtpHeaderExtensions.TryFind(packet, header, ExtensionId, out var value) || value.Length < 2)
        {
            lock (_gate) PacketsWithoutSequence++;
            return -1;
        }
        var sequence = (ushort)(value[0] << 8 | value[1]);
        lock (_gate)
        {
            _builder.OnPacket(sequence, arrivalMicros, header.Ssrc);
            PacketsRecorded++;
            _pending++;
        }
        return sequence;
    }

    /// <summary>
    /// The feedback due at <paramref name="nowMicros"/> as one compound RTCP packet (several transport-cc packets when
    /// the pending span does not fit one); null when nothing is due. Feedback is about arrivals, so the clock is the one
    /// <see cref="OnPacket"/> is given.
    /// </summary>
    public MediaPacket? TryBuild(long nowMicros)
    {
        lock (_gate)
        {
            if (!_builder.HasPending) return null;
            if (_pending < PendingLimit && _lastSentMicros != long.MinValue && nowMicros - _lastSentMicros < _intervalMicros) return null;
            var packet = MediaPacket.Rent();
            // Room for SRTCP's index and tag, added in place by the egress encrypt stage.
            var room = MediaPacket.BufferSize - 64;
            while (_builder.HasPending && room - packet.Length > 64)
            {
                var n = _builder.BuildFeedback(packet.Buffer.AsSpan(packet.Length, room - packet.Length));
                if (n <= 0) break;
                packet.Length += n;
                FeedbackPacketsSent++;
            }
            // What did not fit one datagram goes out on the next tick rather than after a full interval.
            _pending = _builder.HasPending ? PendingLimit : 0;
            _lastSentMicros = nowMicros;
            if (packet.Length == 0)
            {
                packet.Release();
                return null;
            }
            packet.IsRtcp = true;
            return packet;
        }
    }
}
