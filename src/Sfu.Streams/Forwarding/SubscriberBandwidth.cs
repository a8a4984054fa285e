using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sfu.Streams.Bandwidth;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Rtp;

namespace Sfu.Streams.Forwarding;

/// <summary>
/// Send-side bandwidth estimation toward one subscriber connection: egress numbers every RTP packet with a
/// transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01), the subscriber's transport-cc
/// feedback drives the estimator, and the participant reads <see cref="EstimateBps"/> to allocate layers.
/// </summary>
/// <remarks>
/// Threads: <see cref="Stamp"/> runs on the egress graph, <see cref="OnFeedback"/> on the subscriber's ingress
/// (RTCP) graph, <see cref="TryTakeProbe"/> on publishers' forwarding threads; the sequencer and the probe controller
/// are thread-safe, the estimator is fed from the RTCP thread only.
/// </remarks>
public sealed class SubscriberBandwidth
{
    /// <summary>
    /// Starts where one camera at the top layer plus audio fits (2.5 Mbps + margin), not at GCC's usual 300 kbps: the
    /// estimate cannot climb past 1.5x what is acknowledged without a successful probe, so a low start would hold every
    /// subscriber at the layer it started on whenever probing cannot measure (see <see cref="DownTrack"/> padding
    /// probes). A start that is too high costs one overuse: the estimate then falls to 0.85x the acknowledged rate.
    /// </summary>
    public static readonly BandwidthEstimatorSettings DefaultSettings = new() { StartBps = 3_000_000 };
    private readonly TimeProvider _time;

    public SubscriberBandwidth(TimeProvider time, byte extensionId, BandwidthEstimatorSettings? settings = null)
    {
        _time = time;
        ExtensionId = extensionId;
        Sequencer = new TransportWideSequencer();
        Estimator = new SendSideBandwidthEstimator(Sequencer, settings ?? DefaultSettings);
    }

    /// <summary>The header extension id the subscriber negotiated for transport-wide sequence numbers.</summary>
    public byte ExtensionId { get; }
    public TransportWideSequencer Sequencer { get; }
    public SendSideBandwidthEstimator Estimator { get; }
    public long EstimateBps => Estimator.EstimateBps;
    public long FeedbackPacketsIn;
    public long PaddingPacketsSent;

    public long NowMicros => (long)(_time.GetTimestamp() * (1_000_000.0 / _time.TimestampFrequency));

    /// <summary>
    /// Writes the next transport-wide sequence number into the packet's (placeholder) extension element; false if the
    /// packet carries none (forwarded before the subscriber negotiated it, or not RTP).
    /// </summary>
    public bool Stamp(Span<byte> packet, int wireSize, int probeClusterId = TransportWideSequencer.NoProbeCluster)
    {
        if (!RtpHeader.TryParse(packet, out var header)) return false;
        if (!RtpHeaderExtensions.TryFind(packet, header, ExtensionId, out var value) || value.Length != 2) return false;
        var offset = (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference((ReadOnlySpan<byte>)packet), ref MemoryMarshal.GetReference(value));
        var sequence = Sequencer.Next(NowMicros, wireSize, probeClusterId);
        BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(offset, 2), sequence);
        return true;
    }

    /// <summary>One transport-cc feedback packet (RTPFB FMT 15) from the subscriber.</summary>
    public void OnFeedback(ReadOnlySpan<byte> rtcp)
    {
        if (!TransportCcFeedback.TryParse(rtcp, out var feedback)) return;
        Interlocked.Increment(ref FeedbackPacketsIn);
        Estimator.OnTransportCcFeedback(feedback, NowMicros);
    }

    /// <summary>A probe cluster to send now, if the probe controller wants one.</summary>
    public bool TryTakeProbe(out ProbeCluster cluster) => Estimator.Probes.TryGetNextProbe(NowMicros, out cluster);
}
