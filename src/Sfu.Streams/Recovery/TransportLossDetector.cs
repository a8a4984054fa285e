using System.Numerics;
using Sfu.WebRtc.Rtp;

namespace Sfu.Streams.Recovery;

/// <summary>A stream whose next packet was sent and lost, found by <see cref="TransportLossDetector{TStream}"/>.</summary>
/// <param name="Stream">The stream (as registered with the packet that made it tracked).</param>
/// <param name="Sequence">Its next RTP sequence number, the lost one.</param>
/// <param name="ExpectedAt">When the lost packet should have arrived: the arrival of the packet sent just before its hole.</param>
public readonly record struct TailLoss<TStream>(TStream Stream, ushort Sequence, long ExpectedAt);

/// <summary>
/// Sees a video stream's next packet lost before any later packet of that stream arrives, from the connection's
/// transport-wide sequence numbers (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2). Chromium and Firefox put
/// one on every RTP packet of the connection, audio and RTX included, in send order. So when a packet with transport
/// number N arrives and a tracked stream's newest packet (number M) is followed by holes in M+1..N-1 that the other
/// streams' own sequence numbers do not explain, that stream's next packet was sent and lost. Its own gap would only
/// show with its next packet: for a frame's lost last (or a frame's lost first) packet, a frame interval later.
/// </summary>
/// <remarks>
/// A hole is explained by another stream when that stream's own sequence numbers jumped across it (it lost packets
/// there). A hole is not judged until every other stream that may have sent into it has sent a packet after it,
/// because until then the hole may be that stream's next packet, lost: a stream heard from within
/// <see cref="ActiveWindow"/> (audio, every 20 ms) — except a repair stream (RTX, FEC: it sends in answer to losses and
/// as probe padding, so waiting for it would wait for the next probe), a watched video stream whose newest packet
/// ended a frame (its next packet is the next frame's, a frame interval away), and a stream quiet for longer (a
/// paused layer). Those are assumed not to have sent: when one did and lost it, the watched stream's next packet is
/// asked for needlessly, which the sender ignores (it has not sent it yet) or answers with one redundant
/// retransmission. The path is assumed to keep order (a reordered packet fills its hole late and was requested for
/// nothing). One thread; no allocation per packet.
/// </remarks>
public sealed class TransportLossDetector<TStream> where TStream : class
{
    /// <summary>How many transport numbers back holes are remembered.</summary>
    public const int History = 1024;
    /// <summary>A tracked stream's newest packet further back than this is not judged (its own next packet decides).</summary>
    public const int MaxWindow = 256;

    private const int Mask = History - 1;
    private readonly ulong[] _received = new ulong[History / 64];
    private readonly long[] _arrival = new long[History];
    private readonly long _activeTicks;
    private SequenceUnwrapper _unwrapper;
    private long _highest = long.MinValue;
    private Source[] _sources = new Source[8];
    private int _count;

    private struct Source
    {
        public uint Ssrc;
        public TStream? Tracked;
        public bool Repair;
        public bool Marker;
        public long Transport;
        public ushort Sequence;
        public long Arrival;
        // The newest jump in this stream's own numbers: Lost packets somewhere between transport GapFrom and GapTo.
        public long GapFrom;
        public long GapTo;
        public int GapLost;
        // The newest packet (transport number) a loss was already reported after.
        public long Reported;
    }

    /// <param name="activeWindow">How recently a stream must have sent to be waited for (see remarks).</param>
    /// <param name="timestampFrequency">The frequency of the arrival timestamps passed in.</param>
    public TransportLossDetector(TimeSpan activeWindow, long timestampFrequency)
    {
        ActiveWindow = activeWindow;
        _activeTicks = (long)(activeWindow.TotalSeconds * timestampFrequency);
    }

    public TimeSpan ActiveWindow { get; }

    /// <summary>Losses reported.</summary>
    public long Reported { get; private set; }

    /// <summary>
    /// Records one RTP packet as it arrived: its transport-wide number, the SSRC and sequence number on the wire (the
    /// RTX SSRC for a retransmission), its marker bit, whether it is a <paramref name="repair"/> packet (RTX or FEC),
    /// and <paramref name="tracked"/>, the stream to watch for loss when the packet is a watched stream's own media
    /// packet (null for audio, RTX, FEC). Writes the streams whose next packet is lost into <paramref name="found"/>
    /// and returns how many. When the packet comes after a jump in its own stream's numbers, <paramref name="gapSentAfter"/>
    /// is the arrival of the packet received just before the first hole since the stream's previous packet that no other
    /// stream's jump explains: its lost packets were sent after that one, so they could not have arrived before it
    /// (0 when unknown).
    /// </summary>
    public int OnPacket(ushort transportSequence, uint ssrc, ushort sequence, bool marker, bool repair, TStream? tracked, long arrival,
        Span<TailLoss<TStream>> found, out long gapSentAfter)
    {
        gapSentAfter = 0;
        var n = _unwrapper.Unwrap(transportSequence);
        if (!Mark(n, arrival)) return 0;
        var index = IndexOf(ssrc);
        ref var source = ref _sources[index];
        if (source.Transport != long.MinValue && n > source.Transport + 1 && n - source.Transport <= MaxWindow &&
            _highest - source.Transport < History && (ushort)(sequence - source.Sequence) is > 1 and < 0x8000 &&
            CountHoles(source.Transport + 1, n, out var firstHole, out var lastHole) > 0)
            gapSentAfter = ExpectedAt(index, firstHole, lastHole);
        source.Repair = repair;
        if (source.Transport == long.MinValue)
        {
            source.Transport = n;
            source.Sequence = sequence;
            source.Arrival = arrival;
            source.Marker = marker;
        }
        else if (n > source.Transport)
        {
            var step = (ushort)(sequence - source.Sequence);
            // Older or repeated own numbers (reordering) say nothing about what was sent since.
            if (step is 0 or >= 0x8000) return 0;
            if (step > 1)
            {
                source.GapFrom = source.Transport;
                source.GapTo = n;
                source.GapLost = step - 1;
            }
            source.Transport = n;
            source.Sequence = sequence;
            source.Arrival = arrival;
            source.Marker = marker;
        }
        if (tracked is not null) source.Tracked = tracked;
        return Judge(n, arrival, found);
    }

    /// <summary>Marks transport number <paramref name="n"/> received; false when it is too old to matter.</summary>
    private bool Mark(long n, long arrival)
    {
        if (_highest == long.MinValue)
        {
            _highest = n - 1;
        }
        if (n > _highest)
        {
            // The numbers skipped on the way are holes until they arrive.
            if (n - _highest >= History) Array.Clear(_received);
            else for (var s = _highest + 1; s < n; s++) _received[(s & Mask) >> 6] &= ~(1UL << (int)(s & 63));
            _highest = n;
        }
        else if (_highest - n >= History)
        {
            return false;
        }
        _received[(n & Mask) >> 6] |= 1UL << (int)(n & 63);
        _arrival[n & Mask] = arrival;
        return true;
    }

    private int IndexOf(uint ssrc)
    {
        for (var i = 0; i < _count; i++)
            if (_sources[i].Ssrc == ssrc) return i;
        if (_count == _sources.Length) Array.Resize(ref _sources, _count * 2);
        _sources[_count] = new Source { Ssrc = ssrc, Transport = long.MinValue, Reported = long.MinValue };
        return _count++;
    }

    private int Judge(long n, long now, Span<TailLoss<TStream>> found)
    {
        // Streams mid-frame first: a hole right after a frame's unfinished packet is most likely its next one. A hole
        // reported for one stream is not reported again for another in the same call.
        var written = 0;
        long claimedFrom = long.MaxValue, claimedTo = long.MinValue;
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < _count && written < found.Length; i++)
            {
                ref var v = ref _sources[i];
                var m = v.Transport;
                if (v.Tracked is null || v.Marker != (pass == 1) || m == v.Reported || m >= n - 1 || n - m > MaxWindow || _highest - m >= History) continue;
                var holes = CountHoles(m + 1, n, out var firstHole, out var lastHole);
                if (holes == 0 || !Settled(i, lastHole, now)) continue;
                var explained = written > 0 && firstHole <= claimedTo && lastHole >= claimedFrom ? written : 0;
                for (var j = 0; j < _count; j++)
                {
                    ref var y = ref _sources[j];
                    if (j != i && y.GapLost > 0 && y.GapTo > m + 1 && y.GapFrom < n - 1) explained += y.GapLost;
                }
                if (holes <= explained) continue;
                v.Reported = m;
                Reported++;
                found[written++] = new TailLoss<TStream>(v.Tracked, (ushort)(v.Sequence + 1), ExpectedAt(i, firstHole, lastHole));
                claimedFrom = Math.Min(claimedFrom, firstHole);
                claimedTo = Math.Max(claimedTo, lastHole);
            }
        }
        return written;
    }

    /// <summary>
    /// When the lost packet should have arrived: with the packet received just before the first hole that no other
    /// stream's jump explains (a hole inside another stream's jump is more likely that stream's); the first hole when
    /// every one lies inside such a jump. Only when a loss is reported, so a walk over the window is fine.
    /// </summary>
    private long ExpectedAt(int tracked, long firstHole, long lastHole)
    {
        var hole = firstHole;
        for (var h = firstHole; h <= lastHole; h++)
        {
            if (IsReceived(h) || ExplainedByOther(tracked, h)) continue;
            hole = h;
            break;
        }
        var before = hole - 1;
        while (!IsReceived(before)) before--;
        return _arrival[before & Mask];
    }

    private bool IsReceived(long n) => (_received[(n & Mask) >> 6] & (1UL << (int)(n & 63))) != 0;

    private bool ExplainedByOther(int tracked, long hole)
    {
        for (var j = 0; j < _count; j++)
        {
            ref var y = ref _sources[j];
            if (j != tracked && y.GapLost > 0 && y.GapFrom < hole && hole < y.GapTo) return true;
        }
        return false;
    }

    /// <summary>Whether every other stream that may have sent into the holes has sent since <paramref name="lastHole"/> (see remarks).</summary>
    private bool Settled(int tracked, long lastHole, long now)
    {
        for (var j = 0; j < _count; j++)
        {
            if (j == tracked) continue;
            ref var y = ref _sources[j];
            if (y.Repair || (y.Tracked is not null && y.Marker)) continue;
            if (y.Transport < lastHole && now - y.Arrival <= _activeTicks) return false;
        }
        return true;
    }

    /// <summary>Holes among transport numbers [from, to), with the first and last of them.</summary>
    private int CountHoles(long from, long to, out long first, out long last)
    {
        first = last = -1;
        var holes = 0;
        var s = from;
        while (s < to)
        {
            var bit = (int)(s & 63);
            var span = (int)Math.Min(64 - bit, to - s);
            var word = ~_received[(s & Mask) >> 6] >> bit;
            if (span < 64) word &= (1UL << span) - 1;
            if (word != 0)
            {
                holes += BitOperations.PopCount(word);
                if (first < 0) first = s + BitOperations.TrailingZeroCount(word);
                last = s + 63 - BitOperations.LeadingZeroCount(word);
            }
            s += span;
        }
        return holes;
    }
}
