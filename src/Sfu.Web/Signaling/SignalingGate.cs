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

    public bool ShuttingDown { get; private set; }
    public int Sessions => _sessions.Count;

    /// <summary>
    /// Decides a join. Called from the client's session actor, possibly after its socket closed: use only what
    /// <paramref name="client"/> captured, never the request's HttpContext.
    /// </summary>
    public virtual JoinAdmission Admit(JoinCommand join, SignalingClient client) =>
        ShuttingDown ? JoinAdmission.Refuse(ErrorCodes.ShuttingDown, "the server is shutting down") : JoinAdmission.Everything;

    /// <summary>The client's socket closed: whatever <see cref="Admit"/> reserved for it is given back.</summary>
    public void Disconnected(SignalingClient client) => client.Close();

    public void Register(IActorRef session) => _sessions[session] = 0;
    public void Unregister(IActorRef session) => _sessions.TryRemove(session, out _);

    /// <summary>Stops admitting joins and tells every connected client the server is going away.</summary>
    public void BeginShutdown()
    {
        ShuttingDown = true;
        foreach (var s in _sessions.Keys) s.Tell(new ServerShutdown());
    }
}
