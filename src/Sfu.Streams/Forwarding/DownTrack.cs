using System.Security.Cryptography;
using Sfu.Streams.Recovery;
using Sfu.Streams.Redundancy;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Forwarding;

/// <summary>
/// One track as one subscriber receives it: our SSRC, payload type and header-extension ids, and a sequence
/// rewriter so the subscriber sees a single continuous stream that starts on a keyframe.
/// </summary>
public sealed partial class DownTrack
{
    private readonly byte[] _extensionMap = new byte[256];
    private readonly SequenceRewriter _rewriter;
    private readonly TimeProvider _time;
    private readonly int _sourcePayloadType;
    private long _lastSendTimestamp;
    private readonly Vp8PictureRewriter? _vp8;

    public DownTrack(UpTrack source, MediaSession subscriber, uint ssrc, byte payloadType, IReadOnlyDictionary<int, int> extensionIdMap, TimeProvider time)
    {
        Source = source;
        Subscriber = subscriber;
        Ssrc = ssrc;
        PayloadType = payloadType;
        _time = time;
        _sourcePayloadType = source.Codec.PayloadType;
        foreach (var (from, to) in extensionIdMap) _extensionMap[from] = (byte)to;
        _rewriter = new SequenceRewriter((ushort)RandomNumberGenerator.GetInt32(0, 1 << 15), (uint)RandomNumberGenerator.GetInt32(int.MaxValue));
        NeedsKeyframe = source.IsVideo;
        if (source.Codec.Name.Equals("VP8", StringComparison.OrdinalIgnoreCase)) _vp8 = new Vp8PictureRewriter();
        // Subscribers NACK video only (our offer gives audio no nack feedback).
        if (source.IsVideo) Retransmissions = new RetransmissionBuffer(time);
        _rtxSequence = RandomNumberGenerator.GetInt32(0, 1 << 15);
    }

    /// <summary>The last second of packets sent, to answer the subscriber's NACKs; null for audio.</summary>
    public RetransmissionBuffer? Retransmissions { get; }
    public RetransmissionCounters Recovery { get; } = new();
    /// <summary>The RTX SSRC and payload type (RFC 4588) the subscriber accepted; 0 and null when retransmissions go plain.</summary>
    public uint RtxSsrc { get; private set; }
    public byte? RtxPayloadType { get; private set; }
    private int _rtxSequence;

    /// <summary>Sends retransmissions as RTX on <paramref name="ssrc"/>; set once, before the first NACK can arrive.</summary>
    public void UseRtx(uint ssrc, byte payloadType)
    {
        RtxSsrc = ssrc;
        RtxPayloadType = payloadType;
    }

    /// <summary>
    /// Whether the packet the subscriber knows as <paramref name="sequence"/> is one the SFU never got from the publisher
    /// and is still asking it for. Called on the subscriber's RTCP thread while ingress rewrites: a packet forwarded
    /// across a layer switch in that moment may be misjudged, which only moves a count between two counters.
    /// </summary>
    public bool IsMissingUpstream(ushort sequence)
    {
        if (!_rewriter.TrySourceSequence(sequence, out var source)) return false;
        foreach (var stream in Source.Streams)
            if (stream.Layer == Layer) return stream.IsMissing(source);
        return false;
    }

    /// <summary>Asks the publisher for the keyframe this subscriber starts on (video only): its target layer, or every layer.</summary>
    public void RequestStartKeyframe()
    {
        if (!Source.IsVideo) return;
        var layer = EffectiveTargetLayer;
        if (layer >= 0) Source.RequestKeyframe(layer, KeyframeReason.NewSubscriber);
        else Source.RequestKeyframe(KeyframeReason.NewSubscriber);
    }

    /// <summary>The RTX stream's own sequence numbers (RFC 4588 §4).</summary>
    public ushort NextRtxSequence() => (ushort)Interlocked.Increment(ref _rtxSequence);

    public UpTrack Source { get; }
    public MediaSession Subscriber { get; }
    public uint Ssrc { get; }
    public byte PayloadType { get; }
    /// <summary>RED audio handling (RFC 2198) when the publisher sends red; set before the down-track is added to its source.</summary>
    public RedForwarding? Red { get; set; }
    public bool NeedsKeyframe { get; private set; }
    public bool Paused { get; set; }
    /// <summary>Which simulcast layer this subscriber gets; see DownTrack.Layers.cs.</summary>
    public LayerSelector Layers { get; } = new();
    /// <summary>The simulcast layer being forwarded.</summary>
    public int Layer { get; private set; } = -1;
    private static readonly TimeSpan LayerActivityWindow = TimeSpan.FromSeconds(1);

    public long PacketsSent;
    public long OctetsSent;
    public long PliReceived;
    public long NacksReceived;
    public byte FractionLost;
    public uint Jitter;
    public double RoundTripMs;

    /// <summary>RTP timestamp and time of the last packet sent, for sender reports.</summary>
    public (uint Timestamp, long SentAt) LastSent => (_rewriter.LastTimestamp, Interlocked.Read(ref _lastSendTimestamp));

    /// <summary>Copies, rewrites and queues one packet for the subscriber; runs on the publisher's ingress thread.</summary>
    public void Write(MediaPacket source, in RtpHeader header)
    {
        var red = Red is { } r && header.PayloadType == r.SourcePayloadType ? r : null;
        if ((header.PayloadType != _sourcePayloadType && red is null) || source.Route is not RtpReceiveStream stream) return;
        if (Paused)
        {
            Layers.Suspend();
            return;
        }
        // Until the subscriber's DTLS is done nothing can be sent, and a keyframe taken now to start the stream would be
        // dropped: the subscriber would start on deltas it cannot decode. Its connection asks for the keyframe instead.
        if (Subscriber.Transport.Outbound is null) return;
        if (!SelectLayer(source, header, stream)) return;
        if (!_rewriter.TryRewrite(source.ExtendedSequence, header.Timestamp, out var seq, out var ts)) return;

        var packet = MediaPacket.Rent();
        var written = RtpHeaderExtensions.Rewrite(source.Span, header, _extensionMap, TransportCcExtensionId, TransportCcValue, packet.Buffer.AsSpan(0, MediaPacket.BufferSize - 64));
        if (written < 0)
        {
            packet.Release();
            return;
        }
        var payloadType = PayloadType;
        if (red is not null && !red.TryRewrite(packet.Buffer.AsSpan(0, written), out written, out payloadType))
        {
            packet.Release();
            return;
        }
        var span = packet.Buffer.AsSpan(0, written);
        RtpHeader.WriteSsrc(span, Ssrc);
        RtpHeader.WriteSequenceNumber(span, seq);
        RtpHeader.WriteTimestamp(span, ts);
        RtpHeader.WritePayloadType(span, payloadType);
        _vp8?.Rewrite(span[(written - (source.Length - header.HeaderLength))..]);
        packet.Length = written;
        packet.Ssrc = Ssrc;
        packet.ArrivalTimestamp = source.ArrivalTimestamp;
        Interlocked.Exchange(ref _lastSendTimestamp, _time.GetTimestamp());
        Fec?.OnMediaSent(source.ExtendedSequence, seq);
        Subscriber.SendMedia(packet, Retransmissions, seq);
        // Counted once handed on, so a reader that sees the count also finds the packet queued.
        PacketsSent++;
        OctetsSent += header.PayloadLength;
        MaybeProbe(header);
    }
}
