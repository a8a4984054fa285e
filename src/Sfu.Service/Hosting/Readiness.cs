using Akka.Actor;
using Akka.Cluster;
using Sfu.Web.Signaling;
using Sfu.WebRtc.Transport;

namespace Sfu.Service.Hosting;

/// <summary>
/// Whether this node should receive traffic (Kubernetes readiness): it is an Up member of its cluster (rooms can be
/// placed on it and reached), its media UDP port is bound and receiving, and it is not shutting down.
/// </summary>
public sealed class Readiness(IServiceProvider services, SignalingGate gate)
{
    /// <summary>Null when ready, else the reason it is not.</summary>
    public string? NotReadyReason()
    {
        if (gate.ShuttingDown) return "shutting down";
        // The actor system and the mux exist once the host has started; before that the node is not ready.
        var system = services.GetService<ActorSystem>();
        if (system is null) return "actor system not started";
        var status = Cluster.Get(system).SelfMember.Status;
        if (status != MemberStatus.Up) return $"cluster member status is {status.ToString().ToLowerInvariant()}, not up";
        var mux = services.GetRequiredService<UdpMux>();
        if (!mux.Receiving) return $"media udp port {mux.LocalEndPoint.Port} is not receiving";
        return null;
    }
}
