using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Sfu.WebRtc.Dtls;

namespace Sfu.LoadGen;

/// <summary>
/// Janus VideoRoom over the HTTP API (<paramref name="janus"/>, e.g. http://127.0.0.1:8088/janus). The first
/// publisher of each room creates it (VP8 only, no bitrate cap, not permanent); subscribers wait for that.
/// </summary>
internal sealed class JanusTarget(Uri janus, int? pid, TimeSpan requestTimeout) : LoadTarget(pid)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<long>>> _rooms = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _created = new();

    public HttpClient Http { get; } = new(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { Timeout = TimeSpan.FromSeconds(70) };
    public Uri Uri { get; } = janus;
    public TimeSpan RequestTimeout { get; } = requestTimeout;

    public override PublisherClient CreatePublisher(LoadGenOptions o, string roomId, string name, DtlsCertificate certificate)
    {
        var transport = new ClientTransport(certificate);
        var video = NewVideo(o);
        return new PublisherClient(video, transport, new JanusPublisherSetup(this, roomId, name, transport, video.Ssrc));
    }

    public override SubscriberClient CreateSubscriber(LoadGenOptions o, string roomId, string name, DtlsCertificate certificate)
    {
        var transport = new ClientTransport(certificate);
        return new SubscriberClient(transport, new JanusSubscriberSetup(this, roomId, o.PublishersPerRoom, transport));
    }

    /// <summary>Creates the room once (through the first caller's handle) and returns its number.</summary>
    public Task<long> EnsureRoomAsync(string roomId, JanusSession session, long handle, CancellationToken ct)
    {
        var lazy = _rooms.GetOrAdd(roomId, id => new Lazy<Task<long>>(() => CreateRoomAsync(id, session, handle, ct)));
        return lazy.Value;
    }

    /// <summary>The room's number once a publisher has created it.</summary>
    public Task<long> RoomNumberAsync(string roomId, CancellationToken ct) => Created(roomId).Task.WaitAsync(RequestTimeout, ct);

    private TaskCompletionSource<long> Created(string roomId) =>
        _created.GetOrAdd(roomId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task<long> CreateRoomAsync(string roomId, JanusSession session, long handle, CancellationToken ct)
    {
        long room = RoomNumber(roomId);
        try
        {
            await session.MessageAsync(handle, new JsonObject
            {
                ["request"] = "create", ["room"] = room, ["permanent"] = false, ["publishers"] = 64,
                ["videocodec"] = "vp8", ["bitrate"] = 0, ["notify_joining"] = false,
            }, null, RequestTimeout, ct);
        }
        catch (JanusException e) when (e.Code == 427)
        {
            // 427: the room exists already (a rerun with the same numbers); joining it is what we want anyway.
        }
        Created(roomId).TrySetResult(room);
        return room;
    }

    public override ValueTask DisposeAsync()
    {
        Http.Dispose();
        return default;
    }
}
