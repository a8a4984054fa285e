using System.Runtime.InteropServices;

namespace Sfu.Streams.Recovery;

/// <summary>
/// Finds the packets one received RTP stream is missing and decides when to ask for each again (generic NACK,
/// RFC 4585 §6.2.1), as mediasoup's NackGenerator and libwebrtc's NackRequester do. Fed extended sequence numbers,
/// so the 16-bit wrap never shows here. Not thread-safe: its owner serializes packet arrival and polling.
/// </summary>
/// <remarks>
/// A missing packet is requested after <see cref="NackSettings.ReorderDelay"/>, then again every
/// max(RTT + <see cref="NackSettings.RetryMargin"/>, <see cref="NackSettings.MinRetryInterval"/>) (libwebrtc's sender
/// ignores a request for a packet it retransmitted less than its RTT + 5 ms ago), up to
/// <see cref="NackSettings.MaxRetries"/> times and for at most <see cref="NackSettings.MaxAge"/>. A packet given up on leaves the decoder without a reference, so a
/// keyframe becomes due, unless a keyframe started after that packet already. The RTT is learnt from repairs that
/// answered a first request (Karn's rule: a packet asked for twice cannot tell which request it answers).
/// <para>
/// Each repair is timed against the moment its frame is due for playout. A lost packet's expected arrival is taken
/// as the arrival of the packet received just before the gap when that packet left its frame unfinished (no marker
/// bit: the loss is inside the frame). When it ended its frame, the lost packets open a later frame, which the sender
/// only had a frame interval later: they are expected at the earliest of the arrival of the packet after the gap and
/// the predecessor's arrival + the RTP time between the two, capped at one frame interval (so the packets of a frame
/// lost whole in between are expected one frame after the predecessor, and after a pause of the stream at most one
/// frame per lost packet before the packet after the gap). Where the connection carries transport-wide sequence
/// numbers the owner knows better: the lost packets were sent after the packet received just before their hole, so
/// they are expected with it (<c>sentAfter</c>). Its frame is due RTT + playout delay later. libwebrtc's receiver
/// adds one RTT to its jitter delay once it is sending NACKs (JitterEstimator, rtt_multiplier 1 in NACK-only
/// protection); the playout delay is what our own adaptive
/// JitterBuffer holds a frame for: <see cref="NackSettings.JitterMultiplier"/> x the stream's RFC 3550 interarrival
/// jitter (<see cref="Jitter"/>), within [webrtc.jitter_buffer_target, webrtc.jitter_buffer_max].
/// </para>
/// <para>
/// A gap is only seen when a later packet arrives, so a lost last packet of a frame would wait for the next frame
/// (50 ms at 20 fps) before anyone asks for it. Two things ask sooner for the next sequence number, once per newest
/// packet: the owner, when the connection's transport-wide sequence numbers show that the stream's next packet was
/// sent and lost (<see cref="SuspectNextLost"/>, from <see cref="TransportLossDetector{TStream}"/>); and, if
/// <see cref="NackSettings.TailLossDelay"/> is set, a silence that long after a packet without marker bit (RFC 3550
/// §5.1: video sets it on a frame's last packet). A sender ignores a NACK for a packet it has not sent. If the packet
/// then comes as a retransmission it was lost and counts as repaired; if it comes as itself, nothing happened.
/// </para>
/// <para>
/// Late repairs are broken down by cause (<see cref="LateAfterRetry"/>: the first request's answer was lost or
/// ignored; <see cref="LateAfterOneRequest"/>; <see cref="LateUnrequested"/>), so a figure below target says where
/// the time went.
/// </para>
/// </remarks>
public sealed class NackGenerator
{
    private readonly TimeProvider _time;
    private readonly NackSettings _settings;
    private readonly List<Entry> _missing = new(64);
    private bool _started;
    private long _highest;
    private long _highestArrival;
    private bool _highestEndsFrame = true;
    private bool _hasTimestamp;
    private uint _highestTimestamp;
    // RTP ticks between the last two frames seen back to back (marker packet, then the next in order); 0 unknown.
    private uint _frameInterval;
    private bool _tailProbed;
    private bool _tailProbePending;
    private long _tailProbe = -1;
    private long _tailProbeAt;
    private long _tailExpectedAt;
    private long _lastKeyframe = long.MinValue;
    private bool _keyframeDue;
    private TimeSpan _rtt;
    /// <summary>The last RTT samples (ticks), a ring; the estimate is their median.</summary>
    private readonly long[] _rttSamples = new long[9];
    private int _rttSampleCount;

    /// <param name="clockRate">The stream's RTP clock rate, to turn RTP time between frames into arrival time.</param>
    public NackGenerator(TimeProvider time, NackSettings? settings = null, int clockRate = 90_000)
    {
        _time = time;
        _settings = settings ?? NackSettings.Default;
        _rtt = _settings.InitialRtt;
        ClockRate = clockRate;
    }

    public int ClockRate { get; }

    private struct Entry(long sequence, long detectedAt, long expectedAt)
    {
        public readonly long Sequence = sequence;
        public readonly long DetectedAt = detectedAt;
        public readonly long ExpectedAt = expectedAt;
        public long SentAt;
        public int Retries;
        // Asked for early (before the gap showed): a repair cannot tell which request it answers, so no RTT sample.
        public bool Probed;
    }

    /// <summary>Packets missing now.</summary>
    public int MissingCount => _missing.Count;
    /// <summary>The highest extended sequence number seen.</summary>
    public long Highest => _highest;
    /// <summary>The round trip used for retries: measured on repairs, <see cref="NackSettings.InitialRtt"/> until then.</summary>
    public TimeSpan Rtt => _rtt;
    /// <summary>Time between two requests for one packet: RTT + <see cref="NackSettings.RetryMargin"/>, at least <see cref="NackSettings.MinRetryInterval"/>.</summary>
    public TimeSpan RetryInterval
    {
        get
        {
            var retry = _rtt + _settings.RetryMargin;
            return retry > _settings.MinRetryInterval ? retry : _settings.MinRetryInterval;
        }
    }

    /// <summary>Sequence numbers requested, retries included.</summary>
    public long Requested { get; private set; }
    /// <summary>Missing packets that arrived after all.</summary>
    public long Recovered { get; private set; }
    /// <summary>Missing packets given up on (too old, asked too often, or dropped by a reset).</summary>
    public long Abandoned { get; private set; }
    /// <summary>Requests for the next sequence number before any later packet showed it missing (see <see cref="SuspectNextLost"/>).</summary>
    public long TailProbes { get; private set; }
    /// <summary>Of <see cref="TailProbes"/>: those answered by a retransmission, i.e. the packet had been lost.</summary>
    public long TailProbesRepaired { get; private set; }
    /// <summary>Of <see cref="Recovered"/>: those that arrived before their frame was due.</summary>
    public long RecoveredInTime { get; private set; }
    /// <summary>Of <see cref="Recovered"/>: those that needed more than one request (a lost or ignored retransmission).</summary>
    public long RecoveredAfterRetry { get; private set; }
    /// <summary>Late repairs (after their frame was due) that needed more than one request.</summary>
    public long LateAfterRetry { get; private set; }
    /// <summary>Late repairs answered on the first request (detection plus one round trip took too long).</summary>
    public long LateAfterOneRequest { get; private set; }
    /// <summary>Late repairs never asked for (a reordered packet that came by itself after its frame was due).</summary>
    public long LateUnrequested { get; private set; }
    /// <summary>Sum over late repairs of the time from expected arrival until the loss was seen (for the mean).</summary>
    public TimeSpan LateDetection { get; private set; }
    /// <summary>For the last <see cref="NackOutcome.Recovered"/> packet: time from its expected arrival to its arrival.</summary>
    public TimeSpan LastRepairLatency { get; private set; }
    /// <summary>For the last <see cref="NackOutcome.Recovered"/> packet: how long after its expected arrival its gap was seen (the next packet came).</summary>
    public TimeSpan LastRepairDetection { get; private set; }
    /// <summary>For the last <see cref="NackOutcome.Recovered"/> packet: whether it arrived before its frame was due.</summary>
    public bool LastRepairInTime { get; private set; }
    /// <summary>The stream's interarrival jitter (RFC 3550 §6.4.1), kept current by the owner; it sets the playout delay.</summary>
    public TimeSpan Jitter { get; set; }

    /// <summary>The playout delay a receiver adapts to the measured jitter, within the configured bounds.</summary>
    public TimeSpan PlayoutDelay
    {
        get
        {
            var adaptive = Jitter * _settings.JitterMultiplier;
            return adaptive < _settings.PlayoutDelay ? _settings.PlayoutDelay : adaptive > _settings.MaxPlayoutDelay ? _settings.MaxPlayoutDelay : adaptive;
        }
    }

    /// <summary>How long after a lost packet's expected arrival its frame is due: RTT + playout delay.</summary>
    public TimeSpan PlayoutDeadline => PlayoutDelay + _rtt;

    /// <summary>The sequence numbers missing now, ascending (for tests and debugging).</summary>
    public long[] MissingSequences() => _missing.Select(e => e.Sequence).ToArray();

    /// <summary>
    /// Records one received packet. <paramref name="keyframe"/> marks the first packet of a keyframe,
    /// <paramref name="marker"/> the RTP marker bit (a frame's last packet), <paramref name="retransmitted"/> a packet
    /// restored from RTX, <paramref name="timestamp"/> its RTP timestamp (without it, a lost frame's first packet is
    /// expected with the previous frame's last one: stricter). Without marker information (the default) no timed
    /// tail-loss request is made.
    /// </summary>
    /// <param name="sentAfter">
    /// For a packet after a gap: the arrival of a packet its lost predecessors were sent after (from the connection's
    /// transport-wide numbers, see <see cref="TransportLossDetector{TStream}.OnPacket"/>); they are expected then, the
    /// earliest they could have come. 0 when unknown: expected as described above.
    /// </param>
    /// <param name="rebuilt">Rebuilt by the SFU from FEC: no answer to a request, so no round-trip sample.</param>
    public NackOutcome OnPacket(long sequence, bool keyframe, bool marker = true, bool retransmitted = false, uint? timestamp = null,
        long sentAfter = 0, bool rebuilt = false)
    {
        var now = _time.GetTimestamp();
        if (keyframe && sequence > _lastKeyframe) _lastKeyframe = sequence;
        if (!_started)
        {
            _started = true;
            _highest = sequence;
            _highestArrival = now;
            _highestEndsFrame = marker;
            SetHighestTimestamp(timestamp);
            return NackOutcome.InOrder;
        }
        if (sequence <= _highest)
        {
            var index = IndexOf(sequence);
            if (index < 0) return NackOutcome.Old;
            var entry = _missing[index];
            if (entry.Retries == 1 && !entry.Probed && !rebuilt)
            {
                var sample = _time.GetElapsedTime(entry.SentAt, now);
                if (sample >= TimeSpan.Zero) ObserveRtt(sample);
            }
            _missing.RemoveAt(index);
            return Repaired(entry.ExpectedAt, entry.DetectedAt, now, entry.Retries);
        }

        var gap = sequence - _highest - 1;
        var expectedAt = sentAfter != 0 ? Math.Clamp(sentAfter, _highestArrival, now) : ExpectedArrival(timestamp, now, sequence - _highest - 1);
        if (gap == 0 && _highestEndsFrame && timestamp is { } ts && _hasTimestamp && (int)(ts - _highestTimestamp) > 0)
            _frameInterval = ts - _highestTimestamp;
        _highest = sequence;
        _highestArrival = now;
        _highestEndsFrame = marker;
        SetHighestTimestamp(timestamp);
        _tailProbed = false;
        var probe = _tailProbePending ? -1 : _tailProbe;
        _tailProbe = -1;
        _tailProbePending = false;
        if (probe == sequence && retransmitted)
        {
            // The early request was right: the packet was lost and is repaired.
            var sample = _time.GetElapsedTime(_tailProbeAt, now);
            if (sample >= TimeSpan.Zero && !rebuilt) ObserveRtt(sample);
            TailProbesRepaired++;
            return Repaired(_tailExpectedAt, _tailProbeAt, now, requests: 1);
        }
        // A retransmission ahead of its own media packet: the sender resent it unasked (libwebrtc pads its bandwidth
        // probes with RTX copies of what it just sent), and the original was lost or is late. Either way the packet
        // is here before anyone could see it missing: repaired, at once.
        if (gap == 0 && retransmitted) return Repaired(expectedAt, now, now, requests: 0);
        if (gap == 0) return NackOutcome.InOrder;
        if (_missing.Count + gap > _settings.MaxMissing)
        {
            // Too much to repair in time: the decoder is better served by a fresh keyframe than by hundreds of requests.
            Abandoned += _missing.Count + gap;
            _missing.Clear();
            if (!keyframe) _keyframeDue = true;
            return NackOutcome.Reset;
        }
        var first = sequence - gap;
        if (probe == first)
        {
            // Asked for early already, but that request may have reached the sender before it sent the packet (a hole
            // that was another stream's, this packet lost later), and then it was ignored. Ask again now: if the early
            // request was right, libwebrtc ignores this one (it retransmitted less than its RTT + 5 ms ago); if not,
            // this is the request that counts. Expected as the gap says (it knows more now than the early request did).
            var seen = _tailProbeAt > expectedAt ? _tailProbeAt : expectedAt;
            _missing.Add(new Entry(first, seen, expectedAt) { Probed = true });
            first++;
        }
        for (var s = first; s < sequence; s++) _missing.Add(new Entry(s, now, expectedAt));
        return NackOutcome.Gap;
    }

    private void ObserveRtt(TimeSpan sample)
    {
        // The initial RTT is a guess: the first measurement replaces it (a stream that loses little, a low simulcast
        // layer, would otherwise retry on the guess for seconds). Later ones: the median of the last few. A mean would
        // be dragged down by retransmissions that were not answers to our request: libwebrtc fills its bandwidth
        // probes with RTX copies of packets it just sent, so a lost packet can come back a few ms after we ask for it.
        _rttSamples[_rttSampleCount++ % _rttSamples.Length] = sample.Ticks;
        var n = Math.Min(_rttSampleCount, _rttSamples.Length);
        Span<long> sorted = stackalloc long[_rttSamples.Length];
        _rttSamples.AsSpan(0, n).CopyTo(sorted);
        sorted = sorted[..n];
        sorted.Sort();
        _rtt = TimeSpan.FromTicks(n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
    }

    private void SetHighestTimestamp(uint? timestamp)
    {
        _hasTimestamp = timestamp.HasValue;
        _highestTimestamp = timestamp.GetValueOrDefault();
    }

    /// <summary>When the packets missing before a new highest packet (arriving now with <paramref name="timestamp"/>) should have arrived.</summary>
    private long ExpectedArrival(uint? timestamp, long now, long gap)
    {
        // Inside a frame (or without timing information): with the packet before the gap, the strict choice.
        if (!_highestEndsFrame || timestamp is not { } ts || !_hasTimestamp) return _highestArrival;
        var rtpTicks = (int)(ts - _highestTimestamp);
        if (rtpTicks <= 0) return _highestArrival;
        var expected = _highestArrival + RtpToTicks(rtpTicks);
        if (_frameInterval > 0)
        {
            // A frame lost whole between the two: its packets were due one frame interval after the predecessor. But
            // g lost packets fill at most g frames, so the first of them is at most g frame intervals older than the
            // packet after the gap (after a pause of the stream, that bound is the nearer one).
            var oneFrame = _highestArrival + RtpToTicks((int)Math.Min(rtpTicks, _frameInterval));
            var byCount = now - RtpToTicks((int)Math.Min(int.MaxValue, gap * _frameInterval));
            expected = oneFrame > byCount ? oneFrame : byCount;
        }
        return expected < now ? expected : now;
    }

    private long RtpToTicks(int rtpTicks) => (long)((double)rtpTicks * _time.TimestampFrequency / ClockRate);

    private NackOutcome Repaired(long expectedAt, long detectedAt, long now, int requests)
    {
        Recovered++;
        LastRepairLatency = _time.GetElapsedTime(expectedAt, now);
        LastRepairDetection = _time.GetElapsedTime(expectedAt, detectedAt);
        LastRepairInTime = LastRepairLatency <= PlayoutDeadline;
        if (requests > 1) RecoveredAfterRetry++;
        if (LastRepairInTime)
        {
            RecoveredInTime++;
        }
        else
        {
            if (requests > 1) LateAfterRetry++;
            else if (requests == 1) LateAfterOneRequest++;
            else LateUnrequested++;
            LateDetection += LastRepairDetection;
        }
        return NackOutcome.Recovered;
    }

    /// <summary>
    /// Asks for <paramref name="sequence"/> (low 16 bits) on the next <see cref="Poll"/> when it is the stream's next
    /// packet and was not asked for yet: the owner learnt it was sent and lost before any later packet of this stream
    /// could show the gap. <paramref name="expectedAt"/> is when it should have arrived (a <see cref="TimeProvider"/>
    /// timestamp). False when it is not the next packet any more or was asked for already.
    /// </summary>
    public bool SuspectNextLost(ushort sequence, long expectedAt)
    {
        if (!_started || (ushort)(_highest + 1) != sequence || _tailProbe == _highest + 1) return false;
        _tailProbed = true;
        _tailProbe = _highest + 1;
        _tailProbePending = true;
        _tailExpectedAt = expectedAt < _highestArrival ? _highestArrival : expectedAt;
        return true;
    }

    /// <summary>
    /// Writes the sequence numbers to request now (ascending, low 16 bits) into <paramref name="dest"/> and drops
    /// the packets given up on. Returns how many were written; what does not fit stays due for the next call.
    /// </summary>
    public int Poll(Span<ushort> dest)
    {
        var now = _time.GetTimestamp();
        var written = _missing.Count == 0 ? 0 : PollMissing(dest, now);
        if (!_highestEndsFrame && !_tailProbed && _started && _settings.TailLossDelay > TimeSpan.Zero &&
            _time.GetElapsedTime(_highestArrival, now) >= _settings.TailLossDelay)
        {
            _tailProbed = true;
            _tailProbe = _highest + 1;
            _tailProbePending = true;
            _tailExpectedAt = _highestArrival;
        }
        // Last, so the list stays ascending: the probe is newer than every missing packet.
        if (_tailProbePending && written < dest.Length)
        {
            _tailProbePending = false;
            _tailProbeAt = now;
            TailProbes++;
            Requested++;
            dest[written++] = (ushort)_tailProbe;
        }
        return written;
    }

    private int PollMissing(Span<ushort> dest, long now)
    {
        var written = 0;
        var retry = RetryInterval;
        var entries = CollectionsMarshal.AsSpan(_missing);
        var kept = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            ref var e = ref entries[i];
            var age = _time.GetElapsedTime(e.DetectedAt, now);
            var due = e.Retries == 0 ? age >= _settings.ReorderDelay : _time.GetElapsedTime(e.SentAt, now) >= retry;
            if (age > _settings.MaxAge || (due && e.Retries >= _settings.MaxRetries))
            {
                Abandoned++;
                // A keyframe that started after the lost packet already gave the decoder a fresh start.
                if (e.Sequence > _lastKeyframe) _keyframeDue = true;
                continue;
            }
            if (due && written < dest.Length)
            {
                dest[written++] = (ushort)e.Sequence;
                e.Retries++;
                e.SentAt = now;
                Requested++;
            }
            entries[kept++] = e;
        }
        if (kept < entries.Length) _missing.RemoveRange(kept, entries.Length - kept);
        return written;
    }

    /// <summary>True once after a loss that retransmission cannot repair: the stream needs a keyframe.</summary>
    public bool TakeKeyframeRequest()
    {
        var due = _keyframeDue;
        _keyframeDue = false;
        return due;
    }

    /// <summary>Whether <paramref name="sequence"/> is missing now (being requested from the sender).</summary>
    public bool IsMissing(long sequence) => IndexOf(sequence) >= 0;

    private int IndexOf(long sequence)
    {
        int lo = 0, hi = _missing.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var s = _missing[mid].Sequence;
            if (s == sequence) return mid;
            if (s < sequence) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }
}
