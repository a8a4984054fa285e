using System.Net;
using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Srtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Benchmarks;

/// <summary>
/// The forwarding objects the server builds for one published VP8 track and N subscribers, wired as
/// ParticipantActor wires them, without actors or graphs: the benchmark plays the ingress stage (parse, identify,
/// forward) and the egress stage (drain the queue, SRTP-protect, optionally send) itself. The mux is bound to
/// 127.0.0.1:0 but never started, so nothing but the benchmark touches these objects.
/// </summary>
internal sealed class ForwardingRig : IDisposable
{
    private const uint PublisherSsrc = 0x1111_2222;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly UdpMux _mux;
    private readonly List<WebRtcTransport> _transports = [];
    private readonly byte[] _delta;
    private ushort _sequence = 1000;
    private uint _timestamp = 90_000;

    public ForwardingRig(int subscribers, SrtpProfile profile)
    {
        _mux = new UdpMux(new IPEndPoint(IPAddress.Loopback, 0), _time);
        var certificate = DtlsCertificate.Generate();
        var profiles = new[] { profile };
        Publisher = new MediaSession(NewTransport(certificate, profiles, "pub"), _time, 1024, 2_500_000, "pub");
        var codec = new NegotiatedCodec(RtpPackets.PayloadType, "VP8", 90000, 1, null, ["nack", "nack pli", "ccm fir"], null);
        var description = new PublishedTrackDescription("0", "video", "stream", "track", [PublisherSsrc],
            new Dictionary<uint, uint>(), [codec],
            new Dictionary<string, int>
            {
                [RtpExtensionUris.Mid] = RtpPackets.MidId,
                [RtpExtensionUris.AbsSendTime] = RtpPackets.AbsSendTimeId,
                [SupportedExtensions.VideoOrientation] = RtpPackets.VideoOrientationId,
            }, []);
        Track = new UpTrack("TR_1", "P_1", "camera", description, Publisher, _time);
        Publisher.AddUpTrack(Track);

        var material = new byte[SrtpKeyMaterial.KeyingMaterialLength(profile)];
        new Random(3).NextBytes(material);
        for (var i = 0; i < subscribers; i++)
        {
            var session = new MediaSession(NewTransport(certificate, profiles, $"sub{i}"), _time, 1024, 0, $"sub{i}");
            var down = new DownTrack(Track, session, (uint)(0x2000_0000 + i), 96, new Dictionary<int, int> { [RtpPackets.VideoOrientationId] = 4 }, _time);
            session.AddDownTrack(down);
            Track.Add(down);
            Subscribers.Add(new Subscriber(session, SrtpKeyMaterial.CreateContexts(profile, material, isDtlsServer: true).Local));
        }
        DrainPublisherRtcp();

        // Every down-track starts on a keyframe; after this one, deltas flow to all of them.
        Ingest(RtpPackets.Vp8(1200, PublisherSsrc, _sequence++, _timestamp, keyframe: true));
        _delta = RtpPackets.Vp8(1200, PublisherSsrc, 0, 0, keyframe: false);
        foreach (var s in Subscribers) s.Drain(null);
        if (Subscribers.Any(s => s.Forwarded == 0))
            throw new InvalidOperationException("A down-track did not start on the keyframe.");
    }

    public MediaSession Publisher { get; }
    public UpTrack Track { get; }
    public List<Subscriber> Subscribers { get; } = [];
    public IPEndPoint LocalEndPoint => _mux.LocalEndPoint;
    public UdpMux Mux => _mux;

    private WebRtcTransport NewTransport(DtlsCertificate certificate, SrtpProfile[] profiles, string name)
    {
        var t = new WebRtcTransport(_mux, certificate, profiles, TimeSpan.FromSeconds(30), name);
        _transports.Add(t);
        return t;
    }

    /// <summary>The next delta packet, as the UDP receive thread hands it over (rented, filled, stamped).</summary>
    public MediaPacket NextDelta()
    {
        var packet = MediaPacket.Rent();
        _delta.CopyTo(packet.Buffer, 0);
        packet.Length = _delta.Length;
        RtpHeader.WriteSequenceNumber(packet.Buffer, _sequence++);
        if ((_sequence & 3) == 0) _timestamp += 3000;
        RtpHeader.WriteTimestamp(packet.Buffer, _timestamp);
        packet.ArrivalTimestamp = _time.GetTimestamp();
        return packet;
    }

    /// <summary>What RtpIngressStage.Process does: parse, resolve the stream, extend the sequence, detect keyframes.</summary>
    public bool Identify(MediaPacket packet)
    {
        var span = packet.Span;
        if (!RtpHeader.TryParse(span, out var header)) return false;
        var stream = Publisher.ResolveReceiveStream(span, header);
        if (stream is null) return false;
        var now = _time.GetTimestamp();
        var micros = (long)(now * (1_000_000.0 / _time.TimestampFrequency));
        packet.Ssrc = header.Ssrc;
        packet.ExtendedSequence = stream.OnPacket(span, header, now, micros, out var keyframe);
        packet.IsKeyframe = keyframe;
        packet.Route = stream;
        return true;
    }

    /// <summary>Ingress + ForwardSink for one packet.</summary>
    public void Forward(MediaPacket packet)
    {
        if (Identify(packet)) Track.Forward(packet);
        packet.Release();
    }

    private void Ingest(byte[] rtp)
    {
        var packet = MediaPacket.CopyOf(rtp);
        packet.ArrivalTimestamp = _time.GetTimestamp();
        Forward(packet);
    }

    private void DrainPublisherRtcp()
    {
        while (Publisher.Egress.Reader.TryRead(out var p)) p.Release();
    }

    public void Dispose()
    {
        foreach (var s in Subscribers) s.Protect.Dispose();
        foreach (var t in _transports) t.Dispose();
        _mux.Dispose();
    }

    /// <summary>One subscriber's egress: what SrtpEncryptStage and UdpSendSink do to each queued packet.</summary>
    internal sealed class Subscriber(MediaSession session, SrtpContext protect)
    {
        public MediaSession Session { get; } = session;
        public SrtpContext Protect { get; } = protect;
        public long Forwarded;

        public int Drain(Action<ReadOnlySpan<byte>>? send)
        {
            var n = 0;
            while (Session.Egress.Reader.TryRead(out var p))
            {
                if (!p.IsRtcp && Protect.ProtectRtp(p.Buffer, p.Length, out var length) == SrtpResult.Ok)
                {
                    send?.Invoke(p.Buffer.AsSpan(0, length));
                    Forwarded++;
                    n++;
                }
                p.Release();
            }
            return n;
        }
    }
}
