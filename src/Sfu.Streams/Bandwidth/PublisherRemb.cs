using Sfu.WebRtc.Rtp;

namespace Sfu.Streams.Bandwidth;

/// <summary>
/// REMB toward a publisher that did not negotiate transport-cc (and so runs no send-side estimator against our
/// feedback): the receive-side estimate of <see cref="RembEstimator"/>, fed from the abs-send-time extension on the
/// ingress thread, read by the periodic RTCP on the ticker thread. The REMB says min(estimate, webrtc.max_bitrate);
/// the estimate starts at the cap, so an uncongested publisher is told exactly what it was told before, and a
/// congested one is told less, within one feedback interval when the estimate falls (draft-alvestrand-rmcat-remb-03
/// §2.2: send at once on a 3 % decrease).
/// </summary>
public sealed class PublisherRemb
{
    /// <summary>A fall of the estimate by this share of what was last sent goes out at once, not with the next report.</summary>
    public const double UrgentDecrease = 0.03;
    /// <summary>Urgent REMBs are at least this far apart (libwebrtc's REMB throttle interval), so a wobbling estimate cannot flood the publisher.</summary>
    public static readonly TimeSpan MinUrgentInterval = TimeSpan.FromMilliseconds(200);

    private readonly TimeProvider _time;
    private long _lastSentAt;
    private readonly RembEstimator _estimator;
    private readonly object _gate = new();
    private long _lastSentBps;

    /// <param name="extensionId">The abs-send-time extension id the publisher negotiated.</param>
    /// <param name="capBps">webrtc.max_bitrate: where the estimate starts and what the REMB never exceeds.</param>
    public PublisherRemb(byte extensionId, long capBps, TimeProvider time)
    {
        _time = time;
        _lastSentAt = time.GetTimestamp();
        ExtensionId = extensionId;
        CapBps = capBps;
        _estimator = new RembEstimator(startBps: capBps, maxBps: Math.Max(capBps, 30_000));
        _lastSentBps = capBps;
    }

    public byte ExtensionId { get; }
    public long CapBps { get; }

    /// <summary>Packets that carried abs-send-time and fed the estimate.</summary>
    public long PacketsRecorded { get; private set; }

    /// <summary>What the REMB says now: the estimate, never above the cap.</summary>
    public long Bps
    {
        get
        {
            lock (_gate) return Math.Min(_estimator.EstimateBps, CapBps);
        }
    }

    /// <summary>Records one RTP packet from the publisher (media, RTX or padding) as it arrived.</summary>
    public void OnPacket(ReadOnlySpan<byte> packet, in RtpHeader header, long arrivalMicros)
    {
        if (!RtpHeaderExtensions.TryFind(packet, header, ExtensionId, out var value) || !AbsSendTime.TryRead(value, out var sent)) return;
        lock (_gate)
        {
            _estimator.OnPacket(arrivalMicros, sent, packet.Length);
            PacketsRecorded++;
        }
    }

    /// <summary>The value for a REMB going out now (remembered, so a later fall is measured against it).</summary>
    public long TakeForReport()
    {
        lock (_gate)
        {
            _lastSentBps = Math.Min(_estimator.EstimateBps, CapBps);
            _lastSentAt = _time.GetTimestamp();
            return _lastSentBps;
        }
    }

    /// <summary>
    /// True when the estimate fell by <see cref="UrgentDecrease"/> or more since the last REMB, and that REMB is at
    /// least <see cref="MinUrgentInterval"/> old: send one now.
    /// </summary>
    public bool DecreaseIsUrgent
    {
        get
        {
            lock (_gate)
                return Math.Min(_estimator.EstimateBps, CapBps) <= _lastSentBps * (1 - UrgentDecrease) &&
                       _time.GetElapsedTime(_lastSentAt) >= MinUrgentInterval;
        }
    }
}
