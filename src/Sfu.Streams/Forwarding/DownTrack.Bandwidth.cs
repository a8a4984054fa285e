using System.Buffers.Binary;
using Sfu.Streams.Bandwidth;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Forwarding;

/// <summary>Bandwidth estimation glue: the transport-wide sequence number placeholder and padding probes.</summary>
public sealed partial class DownTrack
{
    /// <summary>Padding-only packets carry at most 255 padding bytes (the count is one octet, RFC 3550 §5.1).</summary>
    private const int MaxPaddingBytes = 255;
    /// <summary>Bounds a probe burst so it cannot flood the egress queue; a cluster larger than this reports a lower rate.</summary>
    private const int MaxProbePackets = 100;
    /// <summary>
    /// A shorter train arrives within one 250 us feedback tick on a fast path, and a probe with no measurable arrival
    /// spread gives no result; sending more than the cluster asks only makes the measurement longer.
    /// </summary>
    private const int MinProbePackets = 30;

    private static readonly byte[] TransportCcPlaceholder = [0, 0];

    /// <summary>
    /// The id of the transport-wide sequence number extension toward this subscriber, 0 if not negotiated. Forwarded
    /// packets get an empty element that the egress stage fills in send order.
    /// </summary>
    public byte TransportCcExtensionId { get; set; }

    public long PaddingPacketsSent;

    private ReadOnlySpan<byte> TransportCcValue => TransportCcExtensionId == 0 ? default : TransportCcPlaceholder;

    /// <summary>
    /// At the end of a video frame, sends the probe cluster the subscriber's estimator asks for, as padding-only
    /// packets on this track's SSRC (no RTX is needed; receivers drop padding before the jitter buffer). Frame ends
    /// are the only places where extra sequence numbers cannot split a frame, so all of the cluster's packets are
    /// numbered here; they leave paced at the cluster's rate in 5 ms bursts (<see cref="ProbeSchedule"/>), the first
    /// at once and the rest from a timer, which ends well before the next frame (~30 ms) would overtake them.
    /// </summary>
    private void MaybeProbe(in RtpHeader header)
    {
        if (!header.Marker || !Source.IsVideo || TransportCcExtensionId == 0 || Subscriber.Bandwidth is not { } bandwidth) return;
        if (!bandwidth.TryTakeProbe(out var cluster)) return;
        const int overhead = RtpHeader.FixedHeaderLength + 8;
        var count = Math.Clamp((cluster.MinBytes + MaxPaddingBytes + overhead - 1) / (MaxPaddingBytes + overhead), Math.Max(cluster.MinPackets, MinProbePackets), MaxProbePackets);
        var packets = new MediaPacket[count];
        for (var i = 0; i < count; i++)
        {
            var packet = MediaPacket.Rent();
            packet.Length = WritePadding(packet.Buffer, _rewriter.NextPaddingSequence(), _rewriter.LastTimestamp);
            packet.Ssrc = Ssrc;
            packet.ProbeClusterId = cluster.Id;
            packet.ArrivalTimestamp = _time.GetTimestamp();
            packets[i] = packet;
        }
        ProbeSender.Start(this, packets, ProbeSchedule.Bursts(cluster.TargetBps, MaxPaddingBytes + overhead, count), _time);
    }

    // The cluster being paced out. A timer that nothing references is collected with its state and stops firing
    // (System.Threading.Timer semantics), which silently cut clusters short at the first GC: the track holds it.
    private ProbeSender? _probe;

    /// <summary>Whether a probe cluster still has bursts to send (for tests: media numbered meanwhile comes after it).</summary>
    internal bool ProbeInFlight => Volatile.Read(ref _probe) is not null;

    /// <summary>Sends one probe cluster's packets burst by burst, every <see cref="ProbeSchedule.BurstMicros"/>.</summary>
    private sealed class ProbeSender
    {
        private readonly DownTrack _track;
        private readonly MediaPacket[] _packets;
        private readonly int[] _bursts;
        private int _burst;
        private int _next;
        private ITimer? _timer;

        private ProbeSender(DownTrack track, MediaPacket[] packets, int[] bursts)
        {
            _track = track;
            _packets = packets;
            _bursts = bursts;
        }

        public static void Start(DownTrack track, MediaPacket[] packets, int[] bursts, TimeProvider time)
        {
            var sender = new ProbeSender(track, packets, bursts);
            sender.SendBurst();
            if (sender._burst >= bursts.Length) return;
            var period = TimeSpan.FromMicroseconds(ProbeSchedule.BurstMicros);
            track._probe = sender;
            lock (sender) sender._timer = time.CreateTimer(static s => ((ProbeSender)s!).Tick(), sender, period, period);
        }

        private void Tick()
        {
            lock (this)
            {
                if (_burst >= _bursts.Length) return;
                SendBurst();
                if (_burst < _bursts.Length) return;
                _timer?.Dispose();
                Interlocked.CompareExchange(ref _track._probe, null, this);
            }
        }

        private void SendBurst()
        {
            for (var i = 0; i < _bursts[_burst]; i++)
            {
                Interlocked.Increment(ref _track.PaddingPacketsSent);
                _track.Subscriber.SendMedia(_packets[_next++]);
            }
            _burst++;
        }
    }

    /// <summary>An RTP packet with P=1, one transport-cc element (one-byte form, RFC 8285 §4.2) and only padding.</summary>
    private int WritePadding(Span<byte> dest, ushort sequence, uint timestamp)
    {
        dest[0] = 0x80 | 0x20 | 0x10; // V=2, P, X
        dest[1] = PayloadType;
        BinaryPrimitives.WriteUInt16BigEndian(dest[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(dest[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(dest[8..], Ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(dest[12..], RtpHeader.OneByteExtensionProfile);
        BinaryPrimitives.WriteUInt16BigEndian(dest[14..], 1);
        dest[16] = (byte)((TransportCcExtensionId << 4) | 1);
        dest[17] = 0;
        dest[18] = 0;
        dest[19] = 0;
        var end = 20 + MaxPaddingBytes;
        dest[20..end].Clear();
        dest[end - 1] = MaxPaddingBytes;
        return end;
    }
}
