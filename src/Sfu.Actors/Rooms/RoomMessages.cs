using Akka.Actor;
using Sfu.Actors.Signaling;

namespace Sfu.Actors.Rooms;

/// <summary>Messages the room shard region routes by room id.</summary>
public interface IWithRoomId
{
    string RoomId { get; }
}

/// <summary>A client asks to join; the room answers the client with <see cref="Joined"/> or an <see cref="ErrorMessage"/>.</summary>
public sealed record JoinRoom(string RoomId, string ParticipantName, IActorRef Client, string? ParticipantId = null) : IWithRoomId;

/// <summary>A signaling message from a joined participant's client.</summary>
public sealed record FromClient(string RoomId, string ParticipantId, ClientMessage Message) : IWithRoomId;

public sealed record LeaveRoom(string RoomId, string ParticipantId) : IWithRoomId;

/// <summary>REST: create (or confirm) a room; answers <see cref="RoomCreated"/> or <see cref="RoomConflict"/>.</summary>
public sealed record CreateRoom(string RoomId, string Name, int MaxParticipants) : IWithRoomId;
public sealed record RoomCreated(RoomSnapshot Room);
public sealed record RoomConflict(string RoomId);

/// <summary>REST: read a room; answers <see cref="RoomSnapshot"/> or <see cref="RoomNotFound"/>.</summary>
public sealed record GetRoom(string RoomId) : IWithRoomId;
public sealed record RoomNotFound(string RoomId);

/// <summary>REST: the room's media statistics; answers <see cref="RoomStats"/> or <see cref="RoomNotFound"/>.</summary>
public sealed record GetRoomStats(string RoomId) : IWithRoomId;

/// <summary>Closes a room: participants are told, then disconnected. Answers <see cref="RoomClosedAck"/> or <see cref="RoomNotFound"/>.</summary>
public sealed record CloseRoom(string RoomId, string Reason = "closed") : IWithRoomId;
public sealed record RoomClosedAck(string RoomId);

public sealed record RoomSnapshot(string Id, string Name, int MaxParticipants, DateTimeOffset CreatedAt, bool Recording, IReadOnlyList<ParticipantInfo> Participants);

public sealed record RoomStats(string RoomId, IReadOnlyList<ParticipantStats> Participants);
public sealed record ParticipantStats(string ParticipantId, string Name, IReadOnlyList<TrackStats> Published, IReadOnlyList<TrackStats> Subscribed, TransportStats? PublisherTransport, TransportStats? SubscriberTransport);
/// <param name="JitterMs">RFC 3550 interarrival jitter: measured by the SFU on a published track (the value its RRs carry), reported by the subscriber's RRs on a subscribed one.</param>
/// <param name="Recovery">Published video: loss repair toward the publisher (NACK/RTX); null for audio and subscribed tracks.</param>
/// <param name="Keyframes">Published video: keyframe requests toward the publisher by reason; null otherwise.</param>
/// <param name="Retransmission">Subscribed video: how the subscriber's NACKs were answered; null otherwise.</param>
public sealed record TrackStats(string TrackId, string Kind, string Source, string Codec, string? FromParticipantId, long Packets, long Bytes, double BitrateBps, long PacketsLost, double FractionLost, double JitterMs, double? RttMs, long NacksReceived, long PlisReceived, long KeyframeRequestsSent, string? Layer,
    PublisherRecoveryStats? Recovery = null, KeyframeRequestStats? Keyframes = null, SubscriberRetransmissionStats? Retransmission = null);

/// <summary>Publisher leg of loss recovery for one published track (all its simulcast layers).</summary>
/// <param name="NacksSent">Generic NACK packets sent to the publisher.</param>
/// <param name="PacketsRequested">Sequence numbers those NACKs asked for, retries included.</param>
/// <param name="PacketsRepaired">Missing packets that arrived after all (RTX restored, or late).</param>
/// <param name="PacketsRepairedInTime">Of those, the ones that arrived before their frame was due (expected arrival + webrtc.jitter_buffer_target + RTT).</param>
/// <param name="MeanRepairLatencyMs">Mean time from a repaired packet's expected arrival to its arrival.</param>
/// <param name="RtxRestored">RTX packets (RFC 4588) restored to the original stream and forwarded.</param>
/// <param name="PacketsUnrepaired">Missing packets given up on (unrecoverable).</param>
/// <param name="KeyframeRequestsForLoss">Keyframe requests made because a loss could not be repaired (before the throttle).</param>
/// <param name="NackRttMs">The publisher-leg round trip the NACK retries use (measured on repairs).</param>
/// <param name="FecRecovered">Of <paramref name="PacketsRepaired"/>: lost packets the SFU rebuilt from the publisher's FlexFEC.</param>
public sealed record PublisherRecoveryStats(long NacksSent, long PacketsRequested, long PacketsRepaired, long PacketsRepairedInTime, double MeanRepairLatencyMs,
    long RtxRestored, long PacketsUnrepaired, long KeyframeRequestsForLoss, double NackRttMs, long FecRecovered = 0);

/// <summary>Keyframe requests toward the publisher of one track: every reason goes through one 500 ms throttle.</summary>
/// <param name="Sent">PLI/FIR sent to the publisher.</param>
/// <param name="Throttled">Requests collapsed into a recent one.</param>
public sealed record KeyframeRequestStats(long Sent, long Throttled, long ForSubscriberRequests, long ForNewSubscribers, long ForLayerSwitches, long ForUnrecoverableLoss);

/// <summary>Subscriber leg of loss recovery for one subscribed track.</summary>
/// <param name="PacketsRequested">Sequence numbers the subscriber's NACKs asked for.</param>
/// <param name="RetransmissionsSent">Packets sent again, RTX and plain.</param>
/// <param name="RtxRetransmissions">Of those, sent as RTX (the subscriber negotiated it).</param>
/// <param name="Unanswerable">Requests for packets the retransmission buffer no longer holds.</param>
/// <param name="MissingUpstream">Requests for packets the SFU never got from the publisher: already being requested upstream, forwarded when repaired.</param>
/// <param name="TooSoon">Requests for a packet resent less than a round trip ago.</param>
public sealed record SubscriberRetransmissionStats(long PacketsRequested, long RetransmissionsSent, long RtxRetransmissions, long Unanswerable, long MissingUpstream, long TooSoon);
/// <param name="BandwidthEstimateBps">Send-side estimate toward a subscriber that negotiated transport-cc; null otherwise.</param>
public sealed record TransportStats(string State, string? RemoteAddress, string? SrtpProfile, long PacketsReceived, long BytesReceived, long PacketsSent, long BytesSent, long? BandwidthEstimateBps = null);
