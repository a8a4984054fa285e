using System.Text.Json;
using Sfu.WebRtc.Sdp;

namespace Sfu.LoadGen;

/// <summary>
/// A subscriber on our SFU: join, answer every subscriber offer (recvonly, setup:active), start ICE on the first.
/// The SFU is ICE-lite, so we stay the controlling agent.
/// </summary>
internal sealed class SfuSubscriberSetup(Uri server, string roomId, string name, ClientTransport transport) : IClientSetup
{
    private readonly SignalingClient _signaling = new();
    private int _started;

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
            case "offer" when SignalingClient.Text(root, "target") == "subscriber":
                var offer = SessionDescription.Parse(SignalingClient.Text(root, "sdp"));
                var answer = ClientSdp.SubscriberAnswer(offer, transport);
                await _signaling.SendAsync(new { type = "answer", roomId, sdp = answer, target = "subscriber" });
                if (Interlocked.Exchange(ref _started, 1) == 0)
                {
                    var (candidate, ufrag, pwd, fingerprint) = ClientSdp.ServerParameters(offer);
                    transport.Start(candidate, ufrag, pwd, fingerprint, controlling: true);
                }
                break;
            case "error":
                Error ??= $"{SignalingClient.Text(root, "code")}: {SignalingClient.Text(root, "message")}";
                break;
        }
    }

    public ValueTask DisposeAsync() => _signaling.LeaveAndDisposeAsync();
}
