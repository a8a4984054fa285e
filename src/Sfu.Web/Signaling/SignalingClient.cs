using System.Net;

namespace Sfu.Web.Signaling;

/// <summary>
/// What the gate may know of one signaling connection, captured on the request thread when the socket opens
/// (the session actor decides joins later, when the HttpContext may already be recycled), plus what the gate
/// reserved for it until the socket closes.
/// </summary>
public sealed class SignalingClient(IPAddress? remoteAddress, string? queryToken)
{
    private readonly object _sync = new();
    private Action? _release;
    private bool _closed;

    public IPAddress? RemoteAddress { get; } = remoteAddress;
    /// <summary>The <c>?token=</c> of the /ws URL (browsers cannot set headers on a WebSocket).</summary>
    public string? QueryToken { get; } = queryToken;

    /// <summary>
    /// Holds one reservation for the connection's lifetime: true if one is already held or <paramref name="acquire"/>
    /// succeeds; <paramref name="release"/> runs once when the socket closes. False once closed.
    /// </summary>
    public bool TryReserve(Func<bool> acquire, Action release)
    {
        lock (_sync)
        {
            if (_closed) return false;
            if (_release is not null) return true;
            if (!acquire()) return false;
            _release = release;
            return true;
        }
    }

    internal void Close()
    {
        Action? release;
        lock (_sync)
        {
            _closed = true;
            release = _release;
            _release = null;
        }
        release?.Invoke();
    }
}
