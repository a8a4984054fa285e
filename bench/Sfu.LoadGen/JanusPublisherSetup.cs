using System.Text.Json.Nodes;
using Sfu.WebRtc.Sdp;

namespace Sfu.LoadGen;

/// <summary>
/// A publisher in a Janus VideoRoom: session, attach janus.plugin.videoroom, make sure the room exists, join as
/// publisher, then configure with our offer as JSEP; the answer comes back as the event for that request. Janus
/// is a full ICE agent answering our offer, so we control ICE (RFC 8445 §6.1.1); its answer's a=setup decides
/// our DTLS role (Janus 1.1 answers active, which makes us the DTLS server).
/// </summary>
internal sealed class JanusPublisherSetup(JanusTarget target, string roomId, string name, ClientTransport transport, uint ssrc) : IClientSetup
{
    private JanusSession? _session;

    public string? Error { get; private set; }

    public async Task JoinAsync(CancellationToken ct)
    {
        try
        {
            _session = await JanusSession.CreateAsync(target.Http, target.Uri, ct);
            var handle = await _session.AttachAsync("janus.plugin.videoroom", ct);
            var room = await target.EnsureRoomAsync(roomId, _session, handle, ct);
            await _session.MessageAsync(handle, new JsonObject
            {
                ["request"] = "join", ["ptype"] = "publisher", ["room"] = room, ["display"] = name,
            }, null, target.RequestTimeout, ct);
            var offer = ClientSdp.PublisherOffer(transport, ssrc, $"{name}-stream", $"{name}-video", name, withCandidate: true);
            var reply = await _session.MessageAsync(handle, new JsonObject { ["request"] = "configure", ["audio"] = false, ["video"] = true },
                new JsonObject { ["type"] = "offer", ["sdp"] = offer }, target.RequestTimeout, ct);
            var sdp = reply.TryGetProperty("jsep", out var jsep) ? JanusSession.Text(jsep, "sdp") : "";
            if (sdp.Length == 0) throw new InvalidOperationException("janus configure returned no JSEP answer");
            var answer = SessionDescription.Parse(sdp);
            var (candidate, ufrag, pwd, fingerprint) = ClientSdp.ServerParameters(answer);
            transport.Start(candidate, ufrag, pwd, fingerprint, controlling: true, ClientSdp.DtlsRoleFromAnswer(answer));
            await _session.TrickleCompletedAsync(handle, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Error ??= $"janus publisher: {e.Message}";
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is not null) await _session.DisposeAsync();
    }
}
