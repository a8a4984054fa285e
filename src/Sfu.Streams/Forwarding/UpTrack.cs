using Sfu.Streams.Recovery;
using Sfu.Streams.Redundancy;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Forwarding;

/// <summary>
/// A track as a publisher sends it, and the subscribers it is forwarded to. Forwarding loops over the
/// down-tracks inside the publisher's ingress stage (no graph per subscriber hop); the array is swapped
/// copy-on-write when subscriptions change, so the hot path takes no lock.
/// </summary>
public sealed class UpTrack
{
    private volatile DownTrack[] _downTracks = [];
    private readonly object _gate = new();
    private readonly Dictionary<int, NegotiatedCodec> _codecsByPt;
    // Resolved once per payload type so ingress does not compare codec names on every packet.
    private readonly Dictionary<int, Sfu.WebRtc.Codecs.VideoCodec> _videoCodecsByPt;
    private readonly Dictionary<int, NegotiatedCodec> _codecsByRtxPt;

    public UpTrack(string trackId, string participantId, string source, PublishedTrackDescription description, MediaSession publisher, TimeProvider time)
    {
        TrackId = trackId;
        ParticipantId = participantId;
        Source = source;
        Description = description;
        Publisher = publisher;
        Codec = description.Codecs[0];
        _codecsByPt = description.Codecs.ToDictionary(c => c.PayloadType);
        _videoCodecsByPt = description.Codecs.ToDictionary(c => c.PayloadType, c => Sfu.WebRtc.Codecs.KeyframeDetector.Resolve(c.Name));
        Time = time;
        _codecsByRtxPt = [];
        foreach (var c in description.Codecs)
            if (c.RtxPayloadType is { } rtx) _codecsByRtxPt.TryAdd(rtx, c);
        if (description.FlexFec is not null)
        {
            FecOriginals = new FecSourceWindow();
            FecRecovery = new FecRecovery(FecOriginals, time);
        }
    }

    /// <summary>The last media packets as received, for FEC correction and recovery; null when the track carries no FlexFEC.</summary>
    public FecSourceWindow? FecOriginals { get; }
    /// <summary>Rebuilds lost packets from the publisher's FlexFEC at ingress; null when the track carries no FlexFEC.</summary>
    public FecRecovery? FecRecovery { get; }
    /// <summary>FlexFEC packets received, forwarded and dropped (all subscribers together).</summary>
    public FecCounters Fec { get; } = new();

    public TimeProvider Time { get; }
    /// <summary>NACKs sent, packets repaired, RTX restored, keyframes asked for because of loss.</summary>
    public NackCounters Recovery { get; } = new();
    /// <summary>How the track's streams schedule NACKs; set before the first packet (the streams are made from it).</summary>
    public NackSettings NackSettings { get; init; } = NackSettings.Default;

    public string TrackId { get; }
    public string ParticipantId { get; }
    public string Source { get; }
    public string Kind => Description.Kind;
    public bool IsVideo => Description.IsVideo;
    public PublishedTrackDescription Description { get; }
    /// <summary>The codec subscribers are offered: the publisher's first negotiated one (our preference order).</summary>
    public NegotiatedCodec Codec { get; }
    public int ClockRate => Codec.ClockRate;
    public MediaSession Publisher { get; }
    /// <summary>Keyframe requests per layer are throttled to one per this interval (see <see cref="RtpReceiveStream.Keyframes"/>).</summary>
    public static readonly TimeSpan KeyframeInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Keyframe requests sent to the publisher for this track, all layers together.</summary>
    public long KeyframeRequestsSent
    {
        get
        {
            long sent = 0;
            foreach (var s in _streams) sent += s.Keyframes.Sent;
            return sent;
        }
    }
    public DownTrack[] DownTracks => _downTracks;
    public bool Muted { get; set; }

    public long PacketsIn;
    public long BytesIn;
    public long KeyframesIn;
    public long PliReceived;

    private int _firSequence;
    /// <summary>FIR command sequence numbers increase per new request (RFC 5104 §4.3.1.1).</summary>
    public byte NextFirSequence() => (byte)Interlocked.Increment(ref _firSequence);

    private volatile RtpReceiveStream[] _streams = [];

    /// <summary>The incoming RTP streams of this track: one, or one per simulcast layer.</summary>
    public RtpReceiveStream[] Streams => _streams;

    internal void AddStream(RtpReceiveStream stream)
    {
        lock (_gate) _streams = [.. _streams, stream];
    }

    public NegotiatedCodec? CodecFor(int payloadType) => _codecsByPt.GetValueOrDefault(payloadType);

    /// <summary>The video codec a payload type carries, for keyframe detection; false for payload types not negotiated.</summary>
    public bool TryGetVideoCodec(int payloadType, out Sfu.WebRtc.Codecs.VideoCodec codec) => _videoCodecsByPt.TryGetValue(payloadType, out codec);

    /// <summary>The codec an RTX payload type repairs (its apt, RFC 4588 §8.1); null if it is not one of ours.</summary>
    public NegotiatedCodec? CodecForRtx(int payloadType) => _codecsByRtxPt.GetValueOrDefault(payloadType);

    public void Add(DownTrack downTrack)
    {
        lock (_gate) _downTracks = [.. _downTracks, downTrack];
        // A subscriber still connecting asks when its connection is up (MediaSession): a keyframe now would pass before it.
        if (downTrack.Subscriber.Transport.Outbound is not null) downTrack.RequestStartKeyframe();
    }

    public void Remove(DownTrack downTrack)
    {
        lock (_gate) _downTracks = _downTracks.Where(d => d != downTrack).ToArray();
    }

    public void RemoveAll()
    {
        lock (_gate) _downTracks = [];
    }

    /// <summary>Fans one packet out to every subscriber; runs on the publisher's ingress thread.</summary>
    public void Forward(MediaPacket packet)
    {
        PacketsIn++;
        BytesIn += packet.Length;
        if (packet.IsKeyframe) KeyframesIn++;
        // A packet restored from RTX carries the retransmission's header extensions, not the bytes FEC protected.
        if (!packet.Restored) FecOriginals?.Store(packet.ExtendedSequence, packet.Span);
        var downTracks = _downTracks;
        if (downTracks.Length == 0) return;
        if (!RtpHeader.TryParse(packet.Span, out var header)) return;
        // One sendmmsg for the whole fan-out (when subscribers are sent to inline, on this thread).
        using var batch = UdpSendBatch.Open();
        foreach (var d in downTracks) d.Write(packet, header);
    }

    /// <summary>Fans one FlexFEC packet out: each subscriber that accepted flexfec-03 gets it rewritten to its stream.</summary>
    public void ForwardFec(MediaPacket packet)
    {
        Interlocked.Increment(ref Fec.Received);
        if (FecOriginals is not { } originals || !RtpHeader.TryParse(packet.Span, out var header)) return;
        foreach (var d in _downTracks) d.WriteFec(packet, header, originals, Fec);
    }

    /// <summary>
    /// Asks the publisher for a keyframe on every layer it sends (a new subscriber may start on any of them); each
    /// layer's request is throttled on its own (see <see cref="UpTrackLayers.RequestKeyframe"/>).
    /// </summary>
    public void RequestKeyframe(KeyframeReason reason)
    {
        if (!IsVideo) return;
        foreach (var stream in _streams) this.RequestKeyframe(stream.Layer, reason);
    }
}
