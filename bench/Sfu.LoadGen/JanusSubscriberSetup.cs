using System.Text.Json;
using System.Text.Json.Nodes;
using Sfu.WebRtc.Sdp;

namespace Sfu.LoadGen;

/// <summary>
/// A subscriber in a Janus VideoRoom (1.x multistream): find the room's publishers with listparticipants, join as
/// subscriber with streams [{feed}] (retrying on 428 until the publishers are up), then answer Janus's offer with
/// start + JSEP. Janus offered, so it controls ICE and we are controlled (RFC 8445 §6.1.1); it offers actpass
/// and we answer active, so we are the DTLS client.
/// </summary>
internal sealed class JanusSubscriberSetup(JanusTarget target, string roomId, int publishers, ClientTransport transport) : IClientSetup
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(200);
    private JanusSession? _session;

    public string? Error { get; private set; }

    public async Task JoinAsync(CancellationToken ct)
    {
        try
        {
            _session = await JanusSession.CreateAsync(target.Http, target.Uri, ct);
            var handle = await _session.AttachAsync("janus.plugin.videoroom", ct);
            var room = await target.RoomNumberAsync(roomId, ct);
            var reply = await JoinAsync(_session, handle, room, ct);
            var offer = SessionDescription.Parse(JanusSession.Text(reply.GetProperty("jsep"), "sdp"));
            var answer = ClientSdp.SubscriberAnswer(offer, transport, withCandidate: true);
            var (candidate, ufrag, pwd, fingerprint) = ClientSdp.ServerParameters(offer);
            transport.Start(candidate, ufrag, pwd, fingerprint, controlling: offer.IceLite);
            await _session.MessageAsync(handle, new JsonObject { ["request"] = "start", ["room"] = room },
                new JsonObject { ["type"] = "answer", ["sdp"] = answer }, target.RequestTimeout, ct);
            await _session.TrickleCompletedAsync(handle, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Error ??= $"janus subscriber: {e.Message}";
            throw;
        }
    }

    private async Task<JsonElement> JoinAsync(JanusSession session, long handle, long room, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + target.RequestTimeout;
        while (true)
        {
            var feeds = await FeedsAsync(session, handle, room, ct);
            if (feeds.Count >= publishers || DateTime.UtcNow > deadline && feeds.Count > 0)
            {
                var streams = new JsonArray(feeds.Select(f => (JsonNode)new JsonObject { ["feed"] = f }).ToArray());
                try
                {
                    var reply = await session.MessageAsync(handle, new JsonObject
                    {
                        ["request"] = "join", ["ptype"] = "subscriber", ["room"] = room, ["streams"] = streams,
                    }, null, target.RequestTimeout, ct);
                    if (reply.TryGetProperty("jsep", out _)) return reply;
                    throw new InvalidOperationException("janus subscriber join returned no JSEP offer");
                }
                catch (JanusException e) when (e.Code == 428 && DateTime.UtcNow < deadline)
                {
                    // 428 (no such feed): the publisher has joined but is not publishing yet.
                }
            }
            else if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no publisher in janus room {room}");
            }
            await Task.Delay(Retry, ct);
        }
    }

    private async Task<List<long>> FeedsAsync(JanusSession session, long handle, long room, CancellationToken ct)
    {
        var reply = await session.MessageAsync(handle, new JsonObject { ["request"] = "listparticipants", ["room"] = room }, null, target.RequestTimeout, ct);
        var data = JanusSession.PluginData(reply);
        var feeds = new List<long>();
        if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("participants", out var list))
            foreach (var p in list.EnumerateArray())
                if (p.TryGetProperty("publisher", out var pub) && pub.ValueKind == JsonValueKind.True)
                    feeds.Add(p.GetProperty("id").GetInt64());
        return feeds;
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is not null) await _session.DisposeAsync();
    }
}
