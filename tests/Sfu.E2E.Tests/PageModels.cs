using System.Text.Json;

namespace Sfu.E2E.Tests;

// Mirrors of what src/Sfu.Web/wwwroot/app.js exposes on window.sfu (docs/signaling.md, "The browser client").

public sealed record PageState(
    bool Joined,
    string? RoomId,
    string? ParticipantId,
    string? Name,
    Dictionary<string, RemoteParticipant> RemoteParticipants,
    ConnectionInfo Publisher,
    ConnectionInfo Subscriber,
    PageTimings Timings,
    string? LastError);

public sealed record RemoteParticipant(string ParticipantId, string Name, List<TrackInfo> Tracks, List<ReceivedTrack> ReceivedTracks);

public sealed record TrackInfo(string TrackId, string Kind, string? Source, bool Muted, string? Mid);

public sealed record ReceivedTrack(string TrackId, string Kind, string? Mid, bool Ended);

public sealed record ConnectionInfo(string ConnectionState, string IceConnectionState);

public sealed record PageTimings(double? JoinedAt, double? SubscriberConnectedAt, Dictionary<string, double> FirstFrameAt);

public sealed record PageStats(List<InboundRtp> Inbound, List<OutboundRtp> Outbound, TransportInfo Publisher, TransportInfo Subscriber)
{
    public IEnumerable<InboundRtp> InboundFrom(string participantId, string kind) =>
        Inbound.Where(i => i.ParticipantId == participantId && i.Kind == kind);
}

public sealed record InboundRtp(
    string Connection,
    string Kind,
    string? TrackIdentifier,
    string? ParticipantId,
    string? Mid,
    long Ssrc,
    long FramesDecoded,
    long KeyFramesDecoded,
    int FrameWidth,
    int FrameHeight,
    long PacketsReceived,
    long PacketsLost,
    long BytesReceived,
    double Jitter,
    long FreezeCount,
    string? Codec = null,
    long FecPacketsReceived = 0,
    long FecPacketsDiscarded = 0,
    long PacketsRecovered = 0);

public sealed record OutboundRtp(
    string Connection,
    string Kind,
    string? Rid,
    long Ssrc,
    long PacketsSent,
    long BytesSent,
    long FramesEncoded,
    int FrameWidth,
    int FrameHeight,
    string? Codec = null,
    string? QualityLimitationReason = null);

public sealed record TransportInfo(string ConnectionState, string IceConnectionState, string? IceState, string? DtlsState, double? AvailableOutgoingBitrate = null);

internal static class PageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"window.sfu returned null for {typeof(T).Name}");
}
