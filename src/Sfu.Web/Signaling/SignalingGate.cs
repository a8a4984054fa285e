using System.Collections.Concurrent;
using Akka.Actor;
using Microsoft.AspNetCore.Http;
using Sfu.Actors.Signaling;

namespace Sfu.Web.Signaling;

/// <summary>
/// Admission for signaling clients: authorization of joins, and the set of live sessions so a shutdown can tell
/// every client before the server stops.
/// </summary>
public class SignalingGate
{
    private readonly ConcurrentDictionary<IActorRef, byte> _sessions = new();

    public bool ShuttingDown { get; private set; }
    public int Sessions => _sessions.Count;

    /// <summary>Null when the join may proceed, else why not. The default admits everyone; auth overrides it.</summary>
    public virtual string? Authorize(JoinCommand join, string? queryToken, HttpContext context) =>
        ShuttingDown ? "the server is shutting down" : null;

    public void Register(IActorRef session) => _sessions[session] = 0;
    public void Unregister(IActorRef session) => _sessions.TryRemove(session, out _);

    /// <summary>Stops admitting joins and tells every connected client the server is going away.</summary>
    public void BeginShutdown()
    {
        ShuttingDown = true;
        foreach (var s in _sessions.Keys) s.Tell(new ServerShutdown());
    }
}
