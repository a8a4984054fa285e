using System.Collections.Concurrent;
using Akka.Actor;
using Sfu.Actors.Signaling;

namespace Sfu.Web.Signaling;

/// <summary>
/// Admission for signaling clients: whether a join may proceed and with which rights, and the set of live sessions
/// so a shutdown can tell every client before the server stops. The default admits everyone with every right;
/// <see cref="Security.SecureSignalingGate"/> adds tokens and per-address limits.
/// </summary>
public class SignalingGate
{
    private readonly ConcurrentDictionary<IActorRef, byte> _sessions = new();

    private volatile bool _shuttingDown;
    public bool ShuttingDown => _shuttingDown;
    public int Sessions => _sessions.Count;

    /// <summary>
    /// Decides a join. Called from the client's session actor, possibly after its socket closed: use only what
    /// <paramref name="client"/> captured, never the request's HttpContext.
    /// </summary>
    public virtual JoinAdmission Admit(JoinCommand join, SignalingClient client) =>
        ShuttingDown ? JoinAdmission.Refuse(ErrorCodes.ShuttingDown, "the server is shutting down") : JoinAdmission.Everything;

    /// <summary>The client's socket closed: whatever <see cref="Admit"/> reserved for it is given back.</summary>
    public void Disconnected(SignalingClient client) => client.Close();

    public void Register(IActorRef session)
    {
        _sessions[session] = 0;
        // A socket accepted just before the drain began registers its session a moment later (under load, after
        // BeginShutdown ran): it must hear server-shutdown too, not only see the socket cut when the drain times out.
        if (ShuttingDown) session.Tell(new ServerShutdown());
    }
    public void Unregister(IActorRef session) => _sessions.TryRemove(session, out _);

    /// <summary>Stops admitting joins and tells every connected client the server is going away.</summary>
    public void BeginShutdown()
    {
        _shuttingDown = true;
        foreach (var s in _sessions.Keys) s.Tell(new ServerShutdown());
    }
}
