using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using Sfu.Actors.Media;
using Sfu.Actors.Rooms;
using Sfu.Actors.Signaling;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Redundancy;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Sdp;
using Sfu.WebRtc.Transport;

namespace Sfu.Actors.Participants;

/// <summary>
/// One participant's two peer connections: the publisher connection (client offers, we answer) and the
/// subscriber connection (we offer the tracks it should receive, the client answers). It owns both transports
/// and supervises their graphs; packets never pass through here.
/// </summary>
public sealed partial class ParticipantActor : ReceiveActor
{
    private readonly string _roomId;
    private readonly string _participantId;
    private readonly IActorRef _client;
    private readonly MediaNode _node;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ulong _sessionId = (ulong)RandomNumberGenerator.GetInt32(1, int.MaxValue);

    private Connection? _publisher;
    private readonly Dictionary<string, UpTrack> _published = new(StringComparer.Ordinal);
    private ulong _publisherVersion;

    private Connection? _subscriber;
    private readonly Dictionary<string, UpTrack> _wanted = new(StringComparer.Ordinal);
    private readonly List<Slot> _slots = [];
    private IReadOnlyList<SubscriberSection>? _offered;
    private bool _pendingRenegotiation;
    private ulong _subscriberVersion;

    public ParticipantActor(string roomId, string participantId, IActorRef client, MediaNode node)
    {
        _roomId = roomId;
        _participantId = participantId;
        _client = client;
        _node = node;

        Receive<ClientOffer>(m => m.Target == Targets.Publisher, OnPublisherOffer);
        Receive<ClientAnswer>(m => m.Target == Targets.Subscriber, OnSubscriberAnswer);
        Receive<ClientOffer>(_ => Error(ErrorCodes.InvalidMessage, "offers are only accepted on the publisher connection"));
        Receive<ClientAnswer>(_ => Error(ErrorCodes.InvalidMessage, "answers are only accepted on the subscriber connection"));
        // ICE-lite (RFC 8445 §2.5): we learn the client's address from its checks; its trickled candidates are not needed.
        Receive<ClientIceCandidate>(_ => { });
        Receive<ClientMute>(OnMute);
        Receive<ClientScreenShare>(OnScreenShare);
        Receive<ClientUpdateQuality>(OnUpdateQuality);
        Receive<ClientVideoSize>(OnVideoSize);
        Receive<AllocateTick>(_ => Allocate());
        Receive<Subscribe>(OnSubscribe);
        Receive<Unsubscribe>(OnUnsubscribe);
        Receive<TransportStateChanged>(OnTransportState);
        Receive<GraphStopped>(OnGraphStopped);
        Receive<GetParticipantStats>(_ => Sender.Tell(Stats()));
        Receive<Disconnect>(m =>
        {
            if (m.Notice is not null) _client.Tell(m.Notice);
            Context.Stop(Self);
        });
    }

    public static Props Props(string roomId, string participantId, IActorRef client, MediaNode node) =>
        Akka.Actor.Props.Create(() => new ParticipantActor(roomId, participantId, client, node));

    private sealed class Connection(string which, WebRtcTransport transport, MediaSession session)
    {
        public string Which { get; } = which;
        public WebRtcTransport Transport { get; } = transport;
        public MediaSession Session { get; } = session;
    }

    private sealed class Slot(string mid, UpTrack track, uint ssrc)
    {
        public string Mid { get; } = mid;
        public UpTrack Track { get; } = track;
        public uint Ssrc { get; } = ssrc;
        /// <summary>The SSRC retransmissions (RTX, RFC 4588) of a video track go out on.</summary>
        public uint? RtxSsrc { get; } = track.IsVideo ? (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue) : null;
        /// <summary>Our FlexFEC SSRC for this slot, offered when the publisher's track carries flexfec-03.</summary>
        public uint? FecSsrc { get; } = track.Description.FlexFec is not null ? (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue) : null;
        public bool Active { get; set; } = true;
        public DownTrack? DownTrack { get; set; }
    }

    // ---- publisher connection -------------------------------------------------------------------------

    private void OnPublisherOffer(ClientOffer offer)
    {
        if (!SessionDescription.TryParse(offer.Sdp, out var sdp, out var parseError) || sdp is null)
        {
            Error(ErrorCodes.InvalidSdp, $"publisher offer: {parseError}");
            return;
        }
        PublisherNegotiation negotiation;
        var connection = _publisher ?? CreateConnection(Targets.Publisher);
        try
        {
            negotiation = PublisherAnswer.Create(sdp, _node.LocalParameters(connection.Transport), _node.Settings.Codecs,
                _sessionId, ++_publisherVersion, _node.Settings.MaxTracksPerParticipant, _node.Settings.Nack, _node.Settings.Fec, _node.Settings.Dtx);
        }
        catch (NegotiationException e)
        {
            if (_publisher is null) Dispose(connection);
            Error(ErrorCodes.NegotiationFailed, $"publisher offer: {e.Message}");
            return;
        }
        if (_publisher is null)
        {
            _publisher = connection;
            Start(connection);
        }
        var remote = negotiation.Remote;
        if (!connection.Transport.HasRemoteParameters)
            connection.Transport.SetRemoteParameters(remote.IceUfrag, remote.FingerprintAlgorithm, remote.Fingerprint, remote.OurRole);
        _client.Tell(new SdpAnswer(negotiation.AnswerSdp, Targets.Publisher));
        UpdatePublishedTracks(negotiation.Tracks, connection.Session);
    }

    private void UpdatePublishedTracks(IReadOnlyList<PublishedTrackDescription> tracks, MediaSession session)
    {
        var added = new List<UpTrack>();
        var removed = new List<UpTrack>();
        var mids = tracks.Select(t => t.Mid).ToHashSet();
        foreach (var (mid, track) in _published.ToList())
        {
            if (mids.Contains(mid)) continue;
            _published.Remove(mid);
            session.RemoveUpTrack(track);
            removed.Add(track);
        }
        foreach (var description in tracks)
        {
            if (_published.ContainsKey(description.Mid)) continue;
            var source = description.Kind == "audio" ? "microphone" : _markNewVideoAsScreen ? "screen" : "camera";
            var track = new UpTrack(Ids.NewId("TR_"), _participantId, source, description, session, _node.Time)
            {
                NackSettings = Sfu.Streams.Recovery.NackSettings.Default with
                {
                    PlayoutDelay = _node.Settings.JitterBufferTarget,
                    MaxPlayoutDelay = _node.Settings.JitterBufferMax,
                },
            };
            _published[description.Mid] = track;
            session.AddUpTrack(track);
            added.Add(track);
        }
        if (added.Count > 0 || removed.Count > 0)
            Context.Parent.Tell(new PublishedTracksChanged(_participantId, added, removed));
    }

    private void OnMute(ClientMute mute)
    {
        var track = _published.Values.FirstOrDefault(t => t.TrackId == mute.TrackId)
            ?? _published.Values.FirstOrDefault(t => t.Description.TrackId == mute.TrackId);
        if (track is null)
        {
            Error(ErrorCodes.InvalidMessage, $"no published track {mute.TrackId}");
            return;
        }
        track.Muted = mute.Muted;
        Context.Parent.Tell(new TrackMuteChanged(_participantId, track.TrackId, mute.Muted));
    }

    // ---- subscriber connection ------------------------------------------------------------------------

    private void OnSubscribe(Subscribe subscribe)
    {
        foreach (var track in subscribe.Tracks) _wanted[track.TrackId] = track;
        Renegotiate();
    }

    private void OnUnsubscribe(Unsubscribe unsubscribe)
    {
        foreach (var id in unsubscribe.TrackIds) _wanted.Remove(id);
        Renegotiate();
    }

    /// <summary>Offers the current set of wanted tracks; one negotiation at a time (the next waits for the answer).</summary>
    private void Renegotiate()
    {
        if (_offered is not null)
        {
            _pendingRenegotiation = true;
            return;
        }
        _pendingRenegotiation = false;
        var changed = false;
        foreach (var slot in _slots.Where(s => s.Active && !_wanted.ContainsKey(s.Track.TrackId)))
        {
            Detach(slot);
            slot.Active = false;
            changed = true;
        }
        foreach (var track in _wanted.Values.Where(t => !_slots.Any(s => s.Active && s.Track == t)))
        {
            _slots.Add(new Slot(_slots.Count.ToString(), track, (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue)));
            changed = true;
        }
        if (!changed || _slots.Count == 0) return;

        var connection = _subscriber;
        if (connection is null)
        {
            connection = _subscriber = CreateConnection(Targets.Subscriber);
            Start(connection);
        }
        var sections = _slots.Select(s => new SubscriberSection(s.Mid, s.Track.Kind, s.Track.ParticipantId, s.Track.TrackId, s.Ssrc, s.Track.Codec, s.Active, s.RtxSsrc) { Red = _node.Settings.Fec && s.Track.Description.Red is not null, FecSsrc = _node.Settings.Fec && s.Track.Description.FlexFec is not null ? s.FecSsrc : null }).ToList();
        _offered = sections;
        var sdp = SubscriberOffer.Create(sections, _node.LocalParameters(connection.Transport), _sessionId, ++_subscriberVersion, connection.Session.Cname, _node.Settings.Nack, _node.Settings.Fec, _node.Settings.Dtx);
        _client.Tell(new SdpOffer(sdp, Targets.Subscriber));
    }

    private void OnSubscriberAnswer(ClientAnswer answer)
    {
        var offered = _offered;
        var connection = _subscriber;
        if (offered is null || connection is null)
        {
            Error(ErrorCodes.InvalidMessage, "no subscriber offer is waiting for an answer");
            return;
        }
        if (!SessionDescription.TryParse(answer.Sdp, out var sdp, out var parseError) || sdp is null)
        {
            Error(ErrorCodes.InvalidSdp, $"subscriber answer: {parseError}");
            return;
        }
        RemoteTransportParameters remote;
        try
        {
            remote = SubscriberOffer.ReadAnswer(sdp, offered);
        }
        catch (NegotiationException e)
        {
            Error(ErrorCodes.NegotiationFailed, $"subscriber answer: {e.Message}");
            return;
        }
        _offered = null;
        OnSubscriberExtensions(sdp, connection.Session);
        if (!connection.Transport.HasRemoteParameters)
            connection.Transport.SetRemoteParameters(remote.IceUfrag, remote.FingerprintAlgorithm, remote.Fingerprint, remote.OurRole);
        for (var i = 0; i < _slots.Count; i++)
        {
            var slot = _slots[i];
            if (!slot.Active || slot.DownTrack is not null) continue;
            if (!SubscriberOffer.Accepted(sdp, i)) continue;
            Attach(slot, connection.Session, SubscriberOffer.AcceptedRtxPayloadType(sdp, i, slot.Track.Codec), RedNegotiation.AcceptedPayloadType(sdp, i),
                offered[i].FecSsrc is not null ? FlexFecNegotiation.AcceptedPayloadType(sdp, i) : null);
        }
        if (_pendingRenegotiation) Renegotiate();
    }

    private void Attach(Slot slot, MediaSession session, int? rtxPayloadType, int? redPayloadType, int? fecPayloadType)
    {
        var extensionMap = new Dictionary<int, int>();
        foreach (var (id, uri, kind) in SupportedExtensions.ToSubscriber)
            if (kind == slot.Track.Kind && uri != Sfu.WebRtc.Rtp.RtpExtensionUris.TransportWideCc && slot.Track.Description.ExtensionIds.TryGetValue(uri, out var from))
                extensionMap[from] = id;
        var down = new DownTrack(slot.Track, session, slot.Ssrc, (byte)SubscriberOffer.PayloadTypeFor(slot.Track.Codec), extensionMap, _node.Time);
        if (rtxPayloadType is { } rtx && slot.RtxSsrc is { } rtxSsrc) down.UseRtx(rtxSsrc, (byte)rtx);
        down.Red = RedForwarding.For(slot.Track, down.PayloadType, redPayloadType);
        if (fecPayloadType is { } fecPt && slot.FecSsrc is { } fecSsrc)
            down.Fec = new FlexFecForwarding(fecSsrc, (byte)fecPt, (ushort)RandomNumberGenerator.GetInt32(0, 1 << 15));
        slot.DownTrack = down;
        if (_subscriberTransportCc) down.TransportCcExtensionId = SupportedExtensions.TransportWideCcId;
        ApplyRequestedQuality(slot);
        session.AddDownTrack(down);
        slot.Track.Add(down);
    }

    private static void Detach(Slot slot)
    {
        if (slot.DownTrack is not { } down) return;
        slot.Track.Remove(down);
        down.Subscriber.RemoveDownTrack(down);
        slot.DownTrack = null;
    }

    // ---- transports and graphs ------------------------------------------------------------------------

    private Connection CreateConnection(string which)
    {
        var transport = _node.CreateTransport($"{_roomId}/{_participantId}/{which}");
        var session = new MediaSession(transport, _node.Time, _node.Settings.QueueCapacity, which == Targets.Publisher ? _node.Settings.MaxBitrate : 0, _participantId) { ReceivesMedia = which == Targets.Publisher };
        var self = Self;
        transport.StateChanged += (_, state) => self.Tell(new TransportStateChanged(which, state));
        return new Connection(which, transport, session);
    }

    private void Start(Connection connection)
    {
        var (ingress, egress) = _node.RunGraphs(connection.Session);
        Watch(connection, ingress, "ingress");
        Watch(connection, egress, "egress");
    }

    private void Watch(Connection connection, Task graph, string direction)
    {
        var self = Self;
        graph.ContinueWith(t => self.Tell(new GraphStopped(connection.Which, direction, t.Exception?.GetBaseException(), connection.Session)),
            TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>A graph that failed is started again on the same queues; the room and the other participants never notice.</summary>
    private void OnGraphStopped(GraphStopped stopped)
    {
        var connection = stopped.Which == Targets.Publisher ? _publisher : _subscriber;
        if (connection is null || connection.Session != stopped.Session || stopped.Failure is null) return;
        _log.Warning("participant {0}: {1} {2} graph failed ({3}); restarting it", _participantId, stopped.Which, stopped.Direction, stopped.Failure.Message);
        _node.Observers.GraphRestarted?.Invoke(stopped.Direction);
        var task = stopped.Direction == "ingress"
            ? Sfu.Streams.Pipeline.TransportGraphs.RunIngress(connection.Session, _node.Materializer, _node.GraphAttributes)
            : Sfu.Streams.Pipeline.TransportGraphs.RunEgress(connection.Session, _node.Materializer, _node.Observers.ForwardingLatency, _node.GraphAttributes);
        Watch(connection, task, stopped.Direction);
    }

    private void OnTransportState(TransportStateChanged changed)
    {
        _log.Info("participant {0}: {1} transport {2}", _participantId, changed.Which, changed.State);
        if (changed.State is TransportState.Failed or TransportState.Closed)
        {
            // Consent expired (RFC 7675) or DTLS failed/closed: the participant is gone.
            _client.Tell(new ErrorMessage("transport-failed", $"{changed.Which} connection {changed.State.ToString().ToLowerInvariant()}"));
            Context.Stop(Self);
        }
    }

    private void Error(string code, string message)
    {
        _log.Info("participant {0}: {1}: {2}", _participantId, code, message);
        _client.Tell(new ErrorMessage(code, message));
    }

    private ParticipantStats Stats()
    {
        var published = _published.Values.Select(PublishedStats).ToList();
        var subscribed = _slots.Where(s => s.DownTrack is not null).Select(s => SubscribedStats(s.DownTrack!)).ToList();
        return new ParticipantStats(_participantId, "", published, subscribed, TransportStatsOf(_publisher), TransportStatsOf(_subscriber));
    }

    private static TrackStats PublishedStats(UpTrack t)
    {
        var streams = t.Publisher.ReceiveStreams.Where(s => s.Track == t).ToList();
        var lost = streams.Sum(s => s.Statistics.Lost);
        var expected = streams.Sum(s => s.Statistics.Expected);
        var jitter = streams.Count == 0 ? 0 : streams.Max(s => s.Statistics.JitterMs);
        return new TrackStats(t.TrackId, t.Kind, t.Source, t.Codec.Name, null, t.PacketsIn, t.BytesIn, 0, lost,
            expected > 0 ? (double)lost / expected : 0, jitter, null, 0, t.PliReceived, t.KeyframeRequestsSent, null,
            t.IsVideo ? RecoveryStats(t, streams) : null, t.IsVideo ? KeyframeStats(t) : null);
    }

    private static PublisherRecoveryStats RecoveryStats(UpTrack t, List<RtpReceiveStream> streams)
    {
        var r = t.Recovery.Snapshot();
        var nacked = streams.Where(s => s.Nack is not null).ToList();
        var rtt = nacked.Count == 0 ? 0 : nacked.Max(s => s.Nack!.Rtt.TotalMilliseconds);
        return new PublisherRecoveryStats(r.NacksSent, r.PacketsRequested, r.PacketsRepaired, r.PacketsRepairedInTime, r.MeanRepairLatencyMs,
            r.RtxRestored, r.PacketsUnrepaired, r.KeyframeRequests, rtt, r.FecRecovered);
    }

    // Requests are throttled per simulcast layer (each stream has its own requester): the track's figures are their sums.
    private static KeyframeRequestStats KeyframeStats(UpTrack t)
    {
        var layers = t.Streams.Select(s => s.Keyframes).ToList();
        long For(KeyframeReason reason) => layers.Sum(k => k.RequestsFor(reason));
        return new(layers.Sum(k => k.Sent), layers.Sum(k => k.Throttled), For(KeyframeReason.SubscriberRequest),
            For(KeyframeReason.NewSubscriber), For(KeyframeReason.LayerSwitch), For(KeyframeReason.UnrecoverableLoss));
    }

    private static TrackStats SubscribedStats(DownTrack d)
    {
        var r = d.Recovery.Snapshot();
        return new(d.Source.TrackId, d.Source.Kind, d.Source.Source, d.Source.Codec.Name, d.Source.ParticipantId, d.PacketsSent, d.OctetsSent, 0, 0,
            d.FractionLost / 256.0, d.Source.ClockRate > 0 ? d.Jitter * 1000.0 / d.Source.ClockRate : 0, d.RoundTripMs, d.NacksReceived, d.PliReceived, 0,
            d.Source.IsVideo ? LayerDescription(d) : null,
            Retransmission: d.Source.IsVideo
                ? new SubscriberRetransmissionStats(r.PacketsRequested, r.PacketsRetransmitted, r.RtxRetransmitted, r.NotHeld, r.MissingUpstream, r.TooSoon)
                : null);
    }

    private static TransportStats? TransportStatsOf(Connection? c) => c is null
        ? null
        : new TransportStats(c.Transport.State.ToString().ToLowerInvariant(), c.Transport.RemoteEndPoint?.ToString(), c.Transport.Profile?.ToString(),
            c.Transport.PacketsReceived, c.Transport.BytesReceived, c.Transport.PacketsSent, c.Transport.BytesSent,
            c.Session.Bandwidth?.EstimateBps);

    private static void Dispose(Connection c)
    {
        c.Transport.MediaSink = null;
        c.Transport.Dispose();
        c.Session.Ingress.Complete();
        c.Session.Egress.Complete();
    }

    protected override void PostStop()
    {
        foreach (var slot in _slots) Detach(slot);
        if (_publisher is not null)
        {
            foreach (var track in _published.Values) _publisher.Session.RemoveUpTrack(track);
            Dispose(_publisher);
        }
        if (_subscriber is not null) Dispose(_subscriber);
        base.PostStop();
    }
}
