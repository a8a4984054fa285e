using System.Collections.Concurrent;
using System.Net;
using Sfu.WebRtc.Dtls;

namespace Sfu.LoadGen;

/// <summary>What a load run drives: our SFU, Janus, or one of the bare relays; <see cref="LoadGenOptions.Target"/>.</summary>
public enum TargetKind
{
    Sfu,
    Janus,
    UdpRelay,
    SrtpRelay,
}

/// <summary>
/// Makes the publishers and subscribers of one target, and owns the target process when the run started it.
/// <see cref="Pid"/> is the process whose CPU and memory the report shows.
/// </summary>
internal abstract class LoadTarget(int? pid) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, uint> _roomNumbers = new();
    private readonly uint _roomBase = (uint)Random.Shared.Next(1_000, 1_000_000) * 1000;
    private int _nextRoom;

    public int? Pid { get; } = pid;

    public abstract PublisherClient CreatePublisher(LoadGenOptions o, string roomId, string name, DtlsCertificate certificate);
    public abstract SubscriberClient CreateSubscriber(LoadGenOptions o, string roomId, string name, DtlsCertificate certificate);
    public virtual ValueTask DisposeAsync() => default;

    /// <summary>Janus and the relays name rooms by number: one per room id, distinct per run.</summary>
    /// <remarks>
    /// Numbered from a counter: the dictionary's Count, read by two rooms' first clients at once, gave two rooms one
    /// Janus room (two publishers, twelve subscribers), which made Janus forward 1.2-1.6x the workload.
    /// </remarks>
    protected uint RoomNumber(string roomId) => _roomNumbers.GetOrAdd(roomId, _ => _roomBase + (uint)Interlocked.Increment(ref _nextRoom));

    protected static SyntheticVp8 NewVideo(LoadGenOptions o) =>
        new((uint)Random.Shared.Next(1, int.MaxValue), o.Bitrate, o.FrameRate, o.MaxPayload, o.KeyframeInterval);

    public static async Task<LoadTarget> CreateAsync(LoadGenOptions o, Action<string> say, CancellationToken ct)
    {
        switch (o.Target)
        {
            case TargetKind.Sfu:
                if (!o.StartServer) return new SfuTarget(o.Server, null, o.ServerPid);
                var server = await ServerProcess.StartAsync(o.ServerSettings, say, ct);
                return new SfuTarget(server.BaseUri, server, server.Pid);
            case TargetKind.Janus:
                return new JanusTarget(o.Janus, o.ServerPid ?? FindProcess("janus"), o.ConnectTimeout);
            default:
                var srtp = o.Target == TargetKind.SrtpRelay;
                if (!o.StartServer)
                    return new RelayTarget(o.Relay ?? throw new ArgumentException("--relay HOST:PORT or --start-server"), srtp, null, o.ServerPid);
                var relay = await RelayProcess.StartAsync(srtp, say, ct);
                return new RelayTarget(relay.EndPoint, srtp, relay, relay.Pid);
        }
    }

    /// <summary>The pid of the only process named <paramref name="name"/> (comm in /proc), or null if not exactly one.</summary>
    private static int? FindProcess(string name)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == name) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return found.Count == 1 ? found[0] : null;
    }

    private sealed class SfuTarget(Uri server, ServerProcess? process, int? pid) : LoadTarget(pid)
    {
        public override PublisherClient CreatePublisher(LoadGenOptions o, string roomId, string name, DtlsCertificate certificate)
        {
            var transport = new ClientTransport(certificate);
            var video = NewVideo(o);
            return new PublisherClient(video, transport, new SfuPublisherSetup(server, roomId, name, transport, video.Ssrc));
        }

        public override SubscriberClient CreateSubscriber(LoadGenOptions o, string roomId, string name, DtlsCertificate certificate)
        {
            var transport = new ClientTransport(certificate);
            return new SubscriberClient(transport, new SfuSubscriberSetup(server, roomId, name, transport));
        }

        public override async ValueTask DisposeAsync()
        {
            if (process is not null) await process.DisposeAsync();
        }
    }

    private sealed class RelayTarget(IPEndPoint relay, bool srtp, RelayProcess? process, int? pid) : LoadTarget(pid)
    {
        public override PublisherClient CreatePublisher(LoadGenOptions o, string roomId, string name, DtlsCertificate certificate)
        {
            var link = new RelayLink(relay, publisher: true, RoomNumber(roomId), srtp);
            return new PublisherClient(NewVideo(o), link, link);
        }

        public override SubscriberClient CreateSubscriber(LoadGenOptions o, string roomId, string name, DtlsCertificate certificate)
        {
            var link = new RelayLink(relay, publisher: false, RoomNumber(roomId), srtp);
            return new SubscriberClient(link, link);
        }

        public override async ValueTask DisposeAsync()
        {
            if (process is not null) await process.DisposeAsync();
        }
    }
}
