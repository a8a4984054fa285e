using System.Collections.Concurrent;
using System.Security.Cryptography;
using Sfu.Streams.Pipeline;
using Sfu.Streams.Stages;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Forwarding;

/// <summary>
/// The media state of one transport (one peer connection): the tracks it publishes (publisher connection) or
/// receives (subscriber connection), its ingress and egress queues, and its RTCP bookkeeping. Actors change the
/// track sets; the transport's graphs read them.
/// </summary>
public sealed class MediaSession
{
    private readonly ConcurrentDictionary<uint, RtpReceiveStream> _receiveBySsrc = new();
    // RTX SSRCs (RFC 4588) to the media stream they repair.
    private readonly ConcurrentDictionary<uint, RtpReceiveStream> _repairBySsrc = new();
    private readonly ConcurrentDictionary<string, UpTrack> _upByMid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<uint, DownTrack> _downBySsrc = new();
    // FlexFEC SSRCs (FEC-FR group) to the track they protect.
    private readonly ConcurrentDictionary<uint, Redundancy.FecRoute> _fecBySsrc = new();

    public MediaSession(WebRtcTransport transport, TimeProvider time, int queueCapacity, long maxBitrate, string cname)
    {
        Transport = transport;
        Time = time;
        Cname = cname;
        MaxBitrate = maxBitrate;
        Ingress = new MediaQueue(queueCapacity, DropReason.IngressQueueFull);
        Egress = new MediaQueue(queueCapacity, DropReason.EgressQueueFull);
        LocalSsrc = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
        transport.StateChanged += (_, state) =>
        {
            // The subscriber can receive now: each of its video tracks starts on a keyframe asked for at this moment
            // (DownTrack.Write forwards nothing before), not on one that went by while DTLS was running.
            if (state != TransportState.Connected) return;
            foreach (var down in _downBySsrc.Values) down.RequestStartKeyframe();
        };
        transport.MediaSink = Ingress;
    }

    public WebRtcTransport Transport { get; }
    public TimeProvider Time { get; }
    public MediaQueue Ingress { get; }
    public MediaQueue Egress { get; }
    /// <summary>The SSRC our RTCP (RR, PLI, REMB) is sent from on this connection.</summary>
    public uint LocalSsrc { get; }
    public string Cname { get; }
    public long MaxBitrate { get; set; }
    /// <summary>Send-side bandwidth estimation toward this peer (subscriber connections that negotiated transport-cc).</summary>
    public SubscriberBandwidth? Bandwidth { get; set; }
    /// <summary>Transport-cc feedback toward this peer (publisher connections that negotiated transport-cc).</summary>
    public Bandwidth.PublisherFeedback? TransportFeedback { get; private set; }
    /// <summary>Receive-side REMB estimate for a publisher connection without transport-cc; null otherwise.</summary>
    public Bandwidth.PublisherRemb? RembFeedback { get; private set; }

    public IEnumerable<UpTrack> UpTracks => _upByMid.Values;
    /// <summary>Whether this connection publishes anything (a lock-free check, for periodic work).</summary>
    public bool HasUpTracks => !_upByMid.IsEmpty;
    public IEnumerable<DownTrack> DownTracks => _downBySsrc.Values;
    public IEnumerable<RtpReceiveStream> ReceiveStreams => _receiveBySsrc.Values;

    public long UnknownSsrcPackets;
    public long RtcpPacketsIn;

    public void AddUpTrack(UpTrack track)
    {
        // BUNDLE: every section of the connection numbers packets in the one transport-wide space, with the same id.
        if (ReceivesMedia && TransportFeedback is null &&
            track.Description.ExtensionIds.TryGetValue(RtpExtensionUris.TransportWideCc, out var wideCcId))
        {
            TransportFeedback = new Bandwidth.PublisherFeedback(LocalSsrc, (byte)wideCcId);
            // The publisher estimates from our transport-cc feedback itself: REMB stays the fixed cap.
            RembFeedback = null;
        }
        // A publisher without transport-cc adapts only to REMB: estimate at the receiver from abs-send-time.
        if (ReceivesMedia && TransportFeedback is null && RembFeedback is null &&
            track.Description.ExtensionIds.TryGetValue(RtpExtensionUris.AbsSendTime, out var absSendTimeId))
            RembFeedback = new Bandwidth.PublisherRemb((byte)absSendTimeId, MaxBitrate > 0 ? MaxBitrate : 20_000_000, Time);
        _upByMid[track.Description.Mid] = track;
        var ssrcs = track.Description.Ssrcs;
        for (var i = 0; i < ssrcs.Count; i++)
        {
            var stream = new RtpReceiveStream(track, ssrcs[i], ssrcs.Count > 1 ? i : 0, null);
            if (!_receiveBySsrc.TryAdd(ssrcs[i], stream)) continue;
            track.AddStream(stream);
            if (track.Description.RtxSsrcs.TryGetValue(ssrcs[i], out var rtx)) _repairBySsrc.TryAdd(rtx, stream);
        }
        if (track.Description.FecSsrc is { } fec) _fecBySsrc.TryAdd(fec, new Redundancy.FecRoute(track, fec));
    }

    /// <summary>The track a FlexFEC SSRC protects; null for every other SSRC.</summary>
    public Redundancy.FecRoute? FindFec(uint ssrc) => _fecBySsrc.IsEmpty ? null : _fecBySsrc.GetValueOrDefault(ssrc);

    public void RemoveUpTrack(UpTrack track)
    {
        _upByMid.TryRemove(new KeyValuePair<string, UpTrack>(track.Description.Mid, track));
        foreach (var (ssrc, stream) in _receiveBySsrc)
            if (stream.Track == track) _receiveBySsrc.TryRemove(ssrc, out _);
        foreach (var (ssrc, stream) in _repairBySsrc)
            if (stream.Track == track) _repairBySsrc.TryRemove(ssrc, out _);
        foreach (var (ssrc, route) in _fecBySsrc)
            if (route.Track == track) _fecBySsrc.TryRemove(ssrc, out _);
        track.RemoveAll();
    }

    public void AddDownTrack(DownTrack track) => _downBySsrc[track.Ssrc] = track;

    public void RemoveDownTrack(DownTrack track)
    {
        if (_downBySsrc.TryRemove(new KeyValuePair<uint, DownTrack>(track.Ssrc, track))) track.Retransmissions?.Dispose();
    }

    public DownTrack? FindDownTrack(uint ssrc) => _downBySsrc.GetValueOrDefault(ssrc);

    /// <summary>The media receive stream for an SSRC (see <see cref="ResolveStream"/>); null for RTX and unknown SSRCs.</summary>
    public RtpReceiveStream? ResolveReceiveStream(ReadOnlySpan<byte> packet, in RtpHeader header) =>
        ResolveStream(packet, header, out var repair) is { } stream && !repair ? stream : null;

    /// <summary>
    /// The receive stream a packet belongs to; <paramref name="repair"/> is true when the packet is an RTX
    /// retransmission (RFC 4588) of that stream. Unknown SSRCs (browsers that announce none, e.g. rid-based
    /// simulcast) are bound through the mid header extension (RFC 8843 §15), once, on their first packet; RTX
    /// SSRCs through the ssrc-group FID, the repaired-rid extension (RFC 8852 §3.2), or an RTX payload type.
    /// </summary>
    public RtpReceiveStream? ResolveStream(ReadOnlySpan<byte> packet, in RtpHeader header, out bool repair)
    {
        repair = false;
        if (_receiveBySsrc.TryGetValue(header.Ssrc, out var stream)) return stream;
        if (_repairBySsrc.TryGetValue(header.Ssrc, out stream))
        {
            repair = true;
            return stream;
        }
        foreach (var track in _upByMid.Values)
        {
            if (!track.Description.ExtensionIds.TryGetValue(RtpExtensionUris.Mid, out var midId)) continue;
            if (!RtpHeaderExtensions.TryFind(packet, header, (byte)midId, out var mid)) continue;
            if (!System.Text.Encoding.ASCII.GetString(mid).Equals(track.Description.Mid, StringComparison.Ordinal)) continue;
            if (IsRepair(packet, header, track, out var repaired))
            {
                // An RTX packet before its media stream was seen (an early probe) binds nothing yet.
                if (repaired is null) return null;
                repair = true;
                return _repairBySsrc.GetOrAdd(header.Ssrc, repaired);
            }
            string? rid = null;
            var layer = 0;
            if (track.Description.ExtensionIds.TryGetValue(RtpExtensionUris.Rid, out var ridId) &&
                RtpHeaderExtensions.TryFind(packet, header, (byte)ridId, out var ridValue))
            {
                rid = System.Text.Encoding.ASCII.GetString(ridValue);
                layer = Math.Max(0, track.Description.Rids.ToList().IndexOf(rid));
            }
            var created = new RtpReceiveStream(track, header.Ssrc, layer, rid);
            if (!_receiveBySsrc.TryAdd(header.Ssrc, created)) return _receiveBySsrc[header.Ssrc];
            track.AddStream(created);
            return created;
        }
        Interlocked.Increment(ref UnknownSsrcPackets);
        return null;
    }

    /// <summary>Whether an unbound SSRC of <paramref name="track"/> is an RTX stream, and which stream it repairs (null: not seen yet).</summary>
    private bool IsRepair(ReadOnlySpan<byte> packet, in RtpHeader header, UpTrack track, out RtpReceiveStream? repaired)
    {
        repaired = null;
        foreach (var (media, rtx) in track.Description.RtxSsrcs)
        {
            if (rtx != header.Ssrc) continue;
            repaired = _receiveBySsrc.GetValueOrDefault(media);
            return true;
        }
        if (track.Description.ExtensionIds.TryGetValue(RtpExtensionUris.RepairedRid, out var id) &&
            RtpHeaderExtensions.TryFind(packet, header, (byte)id, out var value))
        {
            var rid = System.Text.Encoding.ASCII.GetString(value);
            repaired = track.Streams.FirstOrDefault(s => s.Rid == rid);
            return true;
        }
        if (track.CodecForRtx(header.PayloadType) is null) return false;
        // RTX without FID or repaired-rid can only be told apart when the track has a single stream.
        var streams = track.Streams;
        repaired = streams.Length == 1 ? streams[0] : null;
        return true;
    }

    /// <summary>
    /// True (the default): forwarded media is protected and sent by the forwarding loop itself. False: it goes
    /// through this session's egress queue and graph like RTCP does (one more thread hop per packet; stage tests use
    /// it to look at forwarded packets before encryption).
    /// </summary>
    public bool InlineEgress { get; init; } = true;

    /// <summary>
    /// True for a publisher connection (media comes in): only those run the 20 ms NACK tick. A tick per subscriber
    /// connection woke every egress graph 50 times a second for nothing.
    /// </summary>
    public bool ReceivesMedia { get; init; } = true;

    /// <summary>Set when this session's graphs were built with the test-only impairment stage.</summary>
    internal bool Impaired { get; set; }

    /// <summary>Called with the ingress-to-egress latency of every media packet sent (metrics).</summary>
    public Action<TimeSpan>? Latency { get; set; }

    /// <summary>
    /// Protects and sends one forwarded media packet right here, on the publisher's ingress thread, and releases it.
    /// Handing each copy to this subscriber's egress graph instead cost a thread wake-up per packet per subscriber,
    /// ~40 of the ~47 CPU-µs a forwarded packet cost (docs/PERFORMANCE.md); fan-out is now one loop that rewrites,
    /// encrypts and sends. Publishers forwarding to the same subscriber share its SRTP context, so protection
    /// holds the context's lock (the egress graph's encrypt stage takes the same one for RTCP and retransmissions).
    /// </summary>
    /// <param name="keep">Where to keep a plaintext copy under <paramref name="keepSequence"/> (NACK answers, FEC
    /// correction): taken after the transport-wide sequence number is stamped, so it is the packet as the peer gets it.</param>
    public void SendMedia(MediaPacket packet, Recovery.RetransmissionBuffer? keep = null, ushort keepSequence = 0)
    {
        if (!InlineEgress)
        {
            keep?.Store(keepSequence, packet.Buffer.AsSpan(0, packet.Length));
            Egress.Offer(packet);
            return;
        }
        try
        {
            var context = Transport.Outbound;
            if (context is null)
            {
                DropCounters.Count(DropReason.NotConnected);
                return;
            }
            int length;
            lock (context)
            {
                // Numbered under the same lock as protection, so transport-wide numbers follow the send order.
                Bandwidth?.Stamp(packet.Buffer.AsSpan(0, packet.Length), packet.Length + TransportCcStage.SrtpOverhead, packet.ProbeClusterId);
                // Kept before protection: it encrypts the buffer in place.
                keep?.Store(keepSequence, packet.Buffer.AsSpan(0, packet.Length));
                if (context.ProtectRtp(packet.Buffer, packet.Length, out length) != Sfu.WebRtc.Srtp.SrtpResult.Ok) return;
            }
            // Test-only loss (PacketImpairment): the same drop the egress graph's impairment stage applies.
            if (Impaired && Recovery.ImpairmentStage.ShouldDrop(this, Recovery.ImpairmentDirection.Egress, packet.Buffer.AsSpan(0, length))) return;
            if (!Transport.Send(packet.Buffer.AsSpan(0, length)))
            {
                DropCounters.Count(DropReason.SendFailed);
                return;
            }
            if (Latency is { } latency && packet.ArrivalTimestamp != 0) latency(Time.GetElapsedTime(packet.ArrivalTimestamp));
        }
        finally
        {
            packet.Release();
        }
    }

    /// <summary>Queues an RTCP packet toward this connection's peer (the egress stage protects it).</summary>
    public void SendRtcp(ReadOnlySpan<byte> rtcp)
    {
        var packet = MediaPacket.CopyOf(rtcp);
        packet.IsRtcp = true;
        Egress.Offer(packet);
    }
}
