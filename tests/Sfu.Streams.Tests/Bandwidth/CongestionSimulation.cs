using Sfu.Streams.Bandwidth;
using Sfu.WebRtc.Rtcp;

namespace Sfu.Streams.Tests.Bandwidth;

/// <summary>
/// A discrete-time simulation of one subscriber connection: a sender pacing 1200-byte packets at the estimator's target
/// (plus the probe clusters it asks for) through a <see cref="BottleneckLink"/>; a receiver that records arrivals in a
/// <see cref="ReceiveSideFeedbackBuilder"/> and sends real transport-cc packets back every
/// <see cref="FeedbackIntervalMicros"/> over a return path with the same propagation delay.
/// The receiver's clock is offset from the sender's on purpose: only arrival differences may matter.
/// </summary>
public sealed class CongestionSimulation
{
    public const int PacketSize = 1200;
    private const long TickMicros = 100;
    private const long ReceiverClockOffsetMicros = 987_654_321;

    private readonly Queue<(long Arrival, ushort Sequence)> _inFlight = new();
    private readonly Queue<(long Arrival, byte[] Packet)> _feedbackInFlight = new();
    private readonly byte[] _feedbackBuffer = new byte[1500];
    private long _nextSendMicros;
    private long _nextFeedbackMicros;
    private ProbeCluster _probe;
    private int _probePacketsSent;
    private long _probeBytesSent;
    private bool _probing;

    public CongestionSimulation(BottleneckLink link, BandwidthEstimatorSettings? settings = null, long desiredBps = 3_150_000)
    {
        Link = link;
        Sequencer = new TransportWideSequencer();
        Estimator = new SendSideBandwidthEstimator(Sequencer, settings);
        Estimator.Probes.DesiredBps = desiredBps;
        Receiver = new ReceiveSideFeedbackBuilder(senderSsrc: 0x5EED);
        _nextFeedbackMicros = FeedbackIntervalMicros;
    }

    public BottleneckLink Link { get; }

    public TransportWideSequencer Sequencer { get; }

    public SendSideBandwidthEstimator Estimator { get; }

    public ReceiveSideFeedbackBuilder Receiver { get; }

    public long FeedbackIntervalMicros { get; init; } = 100_000;

    public long NowMicros { get; private set; }

    /// <summary>(time, estimate) every 100 ms, for the report and for assertions over a span.</summary>
    public List<(long Micros, long EstimateBps)> Trace { get; } = new();

    public long ProbePacketsSent { get; private set; }

    public void RunUntil(long endMicros)
    {
        while (NowMicros < endMicros)
        {
            NowMicros += TickMicros;
            Send();
            Deliver();
            if (NowMicros % 100_000 == 0)
            {
                Trace.Add((NowMicros, Estimator.EstimateBps));
            }
        }
    }

    /// <summary>The largest estimate traced in [from, to].</summary>
    public long MaxEstimate(long fromMicros, long toMicros) =>
        Trace.Where(t => t.Micros >= fromMicros && t.Micros <= toMicros).Max(t => t.EstimateBps);

    public long MinEstimate(long fromMicros, long toMicros) =>
        Trace.Where(t => t.Micros >= fromMicros && t.Micros <= toMicros).Min(t => t.EstimateBps);

    /// <summary>First traced time at or after <paramref name="fromMicros"/> when the condition held, or -1.</summary>
    public long FirstTime(long fromMicros, Func<long, bool> condition) =>
        Trace.Where(t => t.Micros >= fromMicros && condition(t.EstimateBps)).Select(t => t.Micros).DefaultIfEmpty(-1).First();

    private void Send()
    {
        if (!_probing && Estimator.Probes.TryGetNextProbe(NowMicros, out var cluster))
        {
            _probe = cluster;
            _probing = true;
            _probePacketsSent = 0;
            _probeBytesSent = 0;
            _nextSendMicros = NowMicros;
        }

        while (_nextSendMicros <= NowMicros)
        {
            var clusterId = _probing ? _probe.Id : TransportWideSequencer.NoProbeCluster;
            var sequence = Sequencer.Next(NowMicros, PacketSize, clusterId);
            var arrival = Link.Send(NowMicros, PacketSize);
            if (arrival >= 0)
            {
                _inFlight.Enqueue((arrival, sequence));
            }

            if (_probing)
            {
                ProbePacketsSent++;
                _probePacketsSent++;
                _probeBytesSent += PacketSize;
                _nextSendMicros += _probe.IntervalMicros(PacketSize);
                _probing = _probePacketsSent < _probe.MinPackets || _probeBytesSent < _probe.MinBytes;
            }
            else
            {
                _nextSendMicros += PacketSize * 8_000_000L / Estimator.EstimateBps;
            }
        }
    }

    private void Deliver()
    {
        while (_inFlight.TryPeek(out var packet) && packet.Arrival <= NowMicros)
        {
            _inFlight.Dequeue();
            Receiver.OnPacket(packet.Sequence, packet.Arrival + ReceiverClockOffsetMicros);
        }

        if (NowMicros >= _nextFeedbackMicros)
        {
            _nextFeedbackMicros += FeedbackIntervalMicros;
            while (Receiver.HasPending)
            {
                var written = Receiver.BuildFeedback(_feedbackBuffer);
                Assert.True(written > 0);
                _feedbackInFlight.Enqueue((NowMicros + Link.PropagationMicros, _feedbackBuffer[..written]));
            }
        }

        while (_feedbackInFlight.TryPeek(out var feedback) && feedback.Arrival <= NowMicros)
        {
            _feedbackInFlight.Dequeue();
            Assert.True(TransportCcFeedback.TryParse(feedback.Packet, out var parsed));
            Estimator.OnTransportCcFeedback(parsed, NowMicros);
        }
    }
}
