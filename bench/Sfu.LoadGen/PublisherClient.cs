using Sfu.WebRtc.Rtcp;

namespace Sfu.LoadGen;

/// <summary>
/// A participant that publishes one synthetic VP8 track over its media link once its setup (signaling, or a relay
/// registration) got the link connected; frames come from the pacer. PLI and FIR from the target make the next
/// frame a key frame.
/// </summary>
internal sealed class PublisherClient : IAsyncDisposable
{
    private readonly IMediaLink _link;
    private readonly IClientSetup _setup;
    private readonly byte[] _packet = new byte[1500];

    public PublisherClient(SyntheticVp8 video, IMediaLink link, IClientSetup setup)
    {
        Video = video;
        _link = link;
        _setup = setup;
        _link.RtcpReceived = OnRtcp;
    }

    public SyntheticVp8 Video { get; }
    public Task Connected => _link.Connected;
    public long KeyframeRequests;
    public string? Error => _setup.Error;

    public Task JoinAsync(CancellationToken ct) => _setup.JoinAsync(ct);

    /// <summary>Called by the pacer thread.</summary>
    public void SendFrame()
    {
        if (!_link.IsConnected) return;
        Video.SendFrame(_packet, _link.SendRtp);
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
            await _setup.DisposeAsync();
        }
        finally
        {
            _link.Dispose();
        }
    }
}
