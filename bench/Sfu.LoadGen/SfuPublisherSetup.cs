using System.Text.Json;
using Sfu.WebRtc.Sdp;

namespace Sfu.LoadGen;

/// <summary>
/// A publisher on our SFU (docs/signaling.md): join, offer on request-offer, ICE + DTLS on the answer.
/// It never answers subscriber offers: it has nothing to receive in these runs, and an answered but unconnected
/// subscriber connection would be failed by the server after its connect timeout.
/// </summary>
internal sealed class SfuPublisherSetup(Uri server, string roomId, string name, ClientTransport transport, uint ssrc) : IClientSetup
{
    private readonly SignalingClient _signaling = new();
    private int _answered;

    public string? Error { get; private set; }

    public async Task JoinAsync(CancellationToken ct)
    {
        _signaling.Received = OnMessage;
        _signaling.Failed = e => Error ??= $"signaling: {e.Message}";
        await _signaling.ConnectAsync(server, ct);
        await _signaling.SendAsync(new { type = "join", roomId, participantName = name }, ct);
    }

    private async Task OnMessage(string type, JsonElement root)
    {
        switch (type)
        {
            case "request-offer":
                var sdp = ClientSdp.PublisherOffer(transport, ssrc, $"{name}-stream", $"{name}-video", name);
                await _signaling.SendAsync(new { type = "offer", roomId, sdp, target = "publisher" });
                break;
            case "answer" when SignalingClient.Text(root, "target") is "" or "publisher":
                if (Interlocked.Exchange(ref _answered, 1) != 0) break;
                var answer = SessionDescription.Parse(SignalingClient.Text(root, "sdp"));
                var (candidate, ufrag, pwd, fingerprint) = ClientSdp.ServerParameters(answer);
                transport.Start(candidate, ufrag, pwd, fingerprint, controlling: true, ClientSdp.DtlsRoleFromAnswer(answer));
                break;
            case "error":
                Error ??= $"{SignalingClient.Text(root, "code")}: {SignalingClient.Text(root, "message")}";
                break;
        }
    }

    public ValueTask DisposeAsync() => _signaling.LeaveAndDisposeAsync();
}
