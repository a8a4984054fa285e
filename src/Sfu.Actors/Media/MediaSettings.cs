using System.Net;
using Sfu.Actors.Signaling;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Srtp;

namespace Sfu.Actors.Media;

/// <summary>Media settings a node's rooms share (mapped from config/webrtc.yaml and media.yaml by the host).</summary>
public sealed record MediaSettings
{
    public static MediaSettings Default { get; } = new();

    /// <summary>Addresses announced as host candidates (the node's reachable IPs; in Kubernetes the pod or node IP).</summary>
    public IReadOnlyList<IPAddress> AnnouncedAddresses { get; init; } = [IPAddress.Loopback];
    public IReadOnlyList<CodecPreference> Codecs { get; init; } = CodecPreference.Defaults;
    public IReadOnlyList<SrtpProfile> SrtpProfiles { get; init; } = [SrtpProfile.AeadAes128Gcm, SrtpProfile.Aes128CmHmacSha1_80];
    public long MaxBitrate { get; init; } = 2_500_000;
    public long MinBitrate { get; init; } = 150_000;
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public int QueueCapacity { get; init; } = 2048;
    /// <summary>webrtc.nack: negotiate generic NACK and RTX on both legs (loss repair).</summary>
    public bool Nack { get; init; } = true;
    /// <summary>webrtc.fec: accept red (RFC 2198) for Opus and ask for Opus in-band FEC (useinbandfec=1).</summary>
    public bool Fec { get; init; } = true;
    /// <summary>webrtc.dtx: ask for Opus discontinuous transmission (usedtx=1).</summary>
    public bool Dtx { get; init; } = true;
    /// <summary>webrtc.jitter_buffer_target: the playout delay repairs are timed against (see NackSettings.PlayoutDelay).</summary>
    public TimeSpan JitterBufferTarget { get; init; } = TimeSpan.FromMilliseconds(50);
    /// <summary>webrtc.jitter_buffer_max: the longest playout delay repairs are timed against.</summary>
    public TimeSpan JitterBufferMax { get; init; } = TimeSpan.FromMilliseconds(200);
    public int MaxTracksPerParticipant { get; init; } = 16;
    public IReadOnlyList<IceServer> IceServers { get; init; } = [];
    public MediaConstraints Constraints { get; init; } = new(true, true, true, 1280, 720, 30, false);
    /// <summary>media.video.quality_levels: the simulcast layers (lowest first) the allocator budgets and render sizes map to.</summary>
    public IReadOnlyList<Sfu.Streams.Bandwidth.SimulcastLayer> QualityLevels { get; init; } = Sfu.Streams.Bandwidth.SimulcastLayer.DefaultTable;
    /// <summary>Akka dispatcher the media graphs run on (hocon/sfu.hocon).</summary>
    public string? Dispatcher { get; init; }
}

/// <summary>Room-level settings (config/webrtc.yaml rooms.*).</summary>
public sealed record RoomSettings
{
    public static RoomSettings Default { get; } = new();

    public int MaxParticipants { get; init; } = 100;
    /// <summary>Rooms this node hosts at most; a join that would auto-create one more is refused with server-full.</summary>
    public int MaxRooms { get; init; } = 1000;
    public bool AutoCreate { get; init; } = true;
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Node-level admission asked before every join, with the room id: null admits, else the reason the node refuses
    /// (sent to the client as <c>server-full</c>). The host wires its memory limits here.
    /// </summary>
    public Func<string, string?>? Admission { get; init; }
}
