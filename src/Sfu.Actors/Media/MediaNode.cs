using System.Net;
using Akka.Actor;
using Akka.Streams;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Pipeline;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Transport;

namespace Sfu.Actors.Media;

/// <summary>
/// The node-local media services every room on this node uses: the one UDP port, the DTLS certificate, the
/// materializer for transport graphs, and observers for metrics. Rooms are sharded entities; this is what the
/// entity factory hands them.
/// </summary>
public sealed class MediaNode : IDisposable
{
    public MediaNode(ActorSystem system, UdpMux mux, MediaSettings settings, RoomSettings rooms, TimeProvider time, MediaObservers? observers = null)
    {
        Mux = mux;
        Settings = settings;
        Rooms = rooms;
        Time = time;
        Observers = observers ?? new MediaObservers();
        Certificate = DtlsCertificate.Generate();
        Materializer = system.Materializer(namePrefix: "media");
        GraphAttributes = settings.Dispatcher is { } d ? ActorAttributes.CreateDispatcher(d) : Attributes.None;
    }

    public UdpMux Mux { get; }
    public MediaSettings Settings { get; }
    public RoomSettings Rooms { get; }
    public TimeProvider Time { get; }
    public DtlsCertificate Certificate { get; }
    public IMaterializer Materializer { get; }
    public Attributes GraphAttributes { get; }
    public MediaObservers Observers { get; }

    public WebRtcTransport CreateTransport(string name)
    {
        var transport = new WebRtcTransport(Mux, Certificate, Settings.SrtpProfiles, Settings.ConsentTimeout, name);
        Mux.Register(transport);
        return transport;
    }

    public LocalIceParameters LocalParameters(WebRtcTransport transport) =>
        new(transport.LocalUfrag, transport.LocalPassword, transport.LocalFingerprint,
            Settings.AnnouncedAddresses.Select(a => new IPEndPoint(a, Mux.LocalEndPoint.Port)).ToList());

    public (Task Ingress, Task Egress) RunGraphs(MediaSession session)
    {
        session.Latency = Observers.ForwardingLatency;
        return (TransportGraphs.RunIngress(session, Materializer, GraphAttributes),
            TransportGraphs.RunEgress(session, Materializer, Observers.ForwardingLatency, GraphAttributes));
    }

    public void Dispose() => Mux.Dispose();
}

/// <summary>Hooks the host wires to metrics; media code calls them without knowing about Prometheus.</summary>
public sealed class MediaObservers
{
    public Action<TimeSpan>? ForwardingLatency { get; init; }
    public Action<string>? GraphRestarted { get; init; }
}
