using System.Text.Json;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Sdp;

namespace Sfu.LoadGen;

/// <summary>
/// A participant that publishes one synthetic VP8 track: join, offer on request-offer, ICE + DTLS on the answer,
/// then frames from the pacer. PLI and FIR from the server (SRTCP) make the next frame a key frame.
/// It never answers subscriber offers: it has nothing to receive in these runs, and an answered but unconnected
/// subscriber connection would be failed by the server after its connect timeout.
/// </summary>
internal sealed class PublisherClient : IAsyncDisposable
{
    private readonly LoadGenOptions _options;
    private readonly string _roomId;
    private readonly string _name;
    private readonly SignalingClient _signaling = new();
    private readonly ClientTransport _transport;
    private readonly byte[] _packet = new byte[1500];
    private int _answered;

    public PublisherClient(LoadGenOptions options, string roomId, string name, DtlsCertificate certificate)
    {
        _options = options;
        _roomId = roomId;
        _name = name;
        _transport = new ClientTransport(certificate);
        Video = new SyntheticVp8((uint)Random.Shared.Next(1, int.MaxValue), options.Bitrate, options.FrameRate, options.MaxPayload, options.KeyframeInterval);
        _transport.RtcpReceived = OnRtcp;
    }

    public SyntheticVp8 Video { get; }
    public Task Connected => _transport.Connected;
    public long KeyframeRequests;
    public string? Error { get; private set; }

    public async Task JoinAsync(Uri server, CancellationToken ct)
    {
        _signaling.Received = OnMessage;
        _signaling.Failed = e => Error ??= $"signaling: {e.Message}";
        await _signaling.ConnectAsync(server, ct);
        await _signaling.SendAsync(new { type = "join", roomId = _roomId, participantName = _name }, ct);
    }

    private async Task OnMessage(string type, JsonElement root)
    {
        switch (type)
        {
            case "request-offer":
                var sdp = ClientSdp.PublisherOffer(_transport, Video.Ssrc, $"{_name}-stream", $"{_name}-video", _name);
                await _signaling.SendAsync(new { type = "offer", roomId = _roomId, sdp, target = "publisher" });
                break;
            case "answer" when SignalingClient.Text(root, "target") is "" or "publisher":
                if (Interlocked.Exchange(ref _answered, 1) != 0) break;
                var answer = SessionDescription.Parse(SignalingClient.Text(root, "sdp"));
                var (candidate, ufrag, pwd, fingerprint) = ClientSdp.ServerParameters(answer);
                _transport.Start(candidate, ufrag, pwd, fingerprint);
                break;
            case "error":
                Error ??= $"{SignalingClient.Text(root, "code")}: {SignalingClient.Text(root, "message")}";
                break;
        }
    }

    /// <summary>Called by the pacer thread.</summary>
    public void SendFrame()
    {
        if (!_transport.IsConnected) return;
        Video.SendFrame(_packet, _transport.SendRtp);
    }

    private void OnRtcp(ReadOnlySpan<byte> compound)
    {
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryNext(out var header, out var packet))
        {
            if (header.PacketType != RtcpPacketType.PSFB) continue;
            if (PictureLossIndication.TryParse(packet, out var pli) && pli.MediaSsrc == Video.Ssrc ||
                FullIntraRequest.TryParse(packet, out _))
            {
                Interlocked.Increment(ref KeyframeRequests);
                Video.RequestKeyframe();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _signaling.SendAsync(new { type = "leave" });
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or InvalidOperationException or ObjectDisposedException)
        {
        }
        await _signaling.DisposeAsync();
        _transport.Dispose();
    }
}
