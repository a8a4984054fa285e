using System.Collections.Concurrent;
using System.Security.Cryptography;
using Sfu.Streams.Pipeline;
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
    private readonly ConcurrentDictionary<string, UpTrack> _upByMid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<uint, DownTrack> _downBySsrc = new();

    public MediaSession(WebRtcTransport transport, TimeProvider time, int queueCapacity, long maxBitrate, string cname)
    {
        Transport = transport;
        Time = time;
        Cname = cname;
        MaxBitrate = maxBitrate;
        Ingress = new MediaQueue(queueCapacity, DropReason.IngressQueueFull);
        Egress = new MediaQueue(queueCapacity, DropReason.EgressQueueFull);
        LocalSsrc = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
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

    public IEnumerable<UpTrack> UpTracks => _upByMid.Values;
    public IEnumerable<DownTrack> DownTracks => _downBySsrc.Values;
    public IEnumerable<RtpReceiveStream> ReceiveStreams => _receiveBySsrc.Values;

    public long UnknownSsrcPackets;
    public long RtcpPacketsIn;

    public void AddUpTrack(UpTrack track)
    {
        _upByMid[track.Description.Mid] = track;
        var ssrcs = track.Description.Ssrcs;
        for (var i = 0; i < ssrcs.Count; i++)
        {
            var stream = new RtpReceiveStream(track, ssrcs[i], ssrcs.Count > 1 ? i : 0, null);
            if (_receiveBySsrc.TryAdd(ssrcs[i], stream)) track.AddStream(stream);
        }
    }

    public void RemoveUpTrack(UpTrack track)
    {
        _upByMid.TryRemove(new KeyValuePair<string, UpTrack>(track.Description.Mid, track));
        foreach (var (ssrc, stream) in _receiveBySsrc)
            if (stream.Track == track) _receiveBySsrc.TryRemove(ssrc, out _);
        track.RemoveAll();
    }

    public void AddDownTrack(DownTrack track) => _downBySsrc[track.Ssrc] = track;

    public void RemoveDownTrack(DownTrack track) =>
        _downBySsrc.TryRemove(new KeyValuePair<uint, DownTrack>(track.Ssrc, track));

    public DownTrack? FindDownTrack(uint ssrc) => _downBySsrc.GetValueOrDefault(ssrc);

    /// <summary>
    /// The receive stream for an SSRC. Unknown SSRCs (browsers that announce none, e.g. rid-based simulcast) are
    /// bound through the mid header extension (RFC 8843 §15), once, on their first packet.
    /// </summary>
    public RtpReceiveStream? ResolveReceiveStream(ReadOnlySpan<byte> packet, in RtpHeader header)
    {
        if (_receiveBySsrc.TryGetValue(header.Ssrc, out var stream)) return stream;
        foreach (var track in _upByMid.Values)
        {
            if (!track.Description.ExtensionIds.TryGetValue(RtpExtensionUris.Mid, out var midId)) continue;
            if (!RtpHeaderExtensions.TryFind(packet, header, (byte)midId, out var mid)) continue;
            if (!System.Text.Encoding.ASCII.GetString(mid).Equals(track.Description.Mid, StringComparison.Ordinal)) continue;
            if (track.Description.RtxSsrcs.Values.Contains(header.Ssrc)) return null;
            if (IsRepaired(packet, header, track)) return null;
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

    private static bool IsRepaired(ReadOnlySpan<byte> packet, in RtpHeader header, UpTrack track) =>
        track.Description.ExtensionIds.TryGetValue(RtpExtensionUris.RepairedRid, out var id) &&
        RtpHeaderExtensions.TryFind(packet, header, (byte)id, out _);

    /// <summary>Queues an RTCP packet toward this connection's peer (the egress stage protects it).</summary>
    public void SendRtcp(ReadOnlySpan<byte> rtcp)
    {
        var packet = MediaPacket.CopyOf(rtcp);
        packet.IsRtcp = true;
        Egress.Offer(packet);
    }

    public void SendKeyframeRequest(UpTrack track)
    {
        Span<byte> buffer = stackalloc byte[64];
        var useFir = track.Codec.RtcpFeedback.Contains("ccm fir") && !track.Codec.RtcpFeedback.Contains("nack pli");
        foreach (var stream in _receiveBySsrc.Values)
        {
            if (stream.Track != track) continue;
            var n = useFir
                ? RtcpWriters.Fir(buffer, LocalSsrc, stream.Ssrc, track.NextFirSequence())
                : RtcpWriters.Pli(buffer, LocalSsrc, stream.Ssrc);
            if (n > 0) SendRtcp(buffer[..n]);
        }
    }
}
