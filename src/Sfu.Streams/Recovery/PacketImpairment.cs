using Sfu.Streams.Forwarding;

namespace Sfu.Streams.Recovery;

/// <summary>Which way an impairment drops packets: from the peer to the server, or from the server to the peer.</summary>
public enum ImpairmentDirection
{
    Ingress,
    Egress,
}

/// <summary>
/// A test-only loss hook for end-to-end tests of loss recovery. Browsers reach the in-process server directly (ICE
/// picks the loopback path, and netem is not available), so loss is injected inside the server: graphs built while
/// <see cref="Enabled"/> is true carry an <see cref="ImpairmentStage"/> that drops RTP by the rules installed here.
/// Production never enables it, and then the graphs carry no such stage at all.
/// </summary>
public static class PacketImpairment
{
    private static volatile ImpairmentRule[] _rules = [];
    private static volatile MediaSession[] _sessions = [];
    private static readonly object Gate = new();

    /// <summary>Graphs built from now on carry the impairment stage (rules can be added and removed later).</summary>
    public static bool Enabled { get; set; }

    public static ImpairmentRule[] Rules => _rules;

    /// <summary>The sessions whose graphs carry the stage, so a test can read their tracks' counters.</summary>
    public static MediaSession[] Sessions => _sessions;

    public static void Add(ImpairmentRule rule)
    {
        lock (Gate) _rules = [.. _rules, rule];
    }

    /// <summary>Stops applying <paramref name="rule"/>; packets it is delaying go on at once.</summary>
    public static void Remove(ImpairmentRule rule)
    {
        lock (Gate) _rules = _rules.Where(r => r != rule).ToArray();
        rule.DelayLine?.Dispose();
    }

    /// <summary>Removes every rule, forgets the sessions and stops adding the stage to new graphs.</summary>
    public static void Reset()
    {
        lock (Gate)
        {
            Enabled = false;
            foreach (var rule in _rules) rule.DelayLine?.Dispose();
            _rules = [];
            _sessions = [];
        }
    }

    internal static void Register(MediaSession session)
    {
        lock (Gate)
            if (!_sessions.Contains(session)) _sessions = [.. _sessions, session];
    }
}
