using Akka.Streams;
using Akka.Streams.Stage;
using Sfu.Streams.Jitter;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Stages;

/// <summary>
/// Runs a <see cref="JitterBuffer"/> in a graph for consumers that want one stream's packets in order, a whole frame at
/// a time (a recording tap). It always pulls upstream, so it never slows the packets it taps; released packets the
/// consumer does not take are dropped and counted by the buffer. A timer gives up on late frames while no packet arrives.
/// </summary>
public sealed class JitterBufferStage : GraphStage<FlowShape<MediaPacket, MediaPacket>>
{
    private readonly Inlet<MediaPacket> _in = new("jitter-buffer.in");
    private readonly Outlet<MediaPacket> _out = new("jitter-buffer.out");
    private readonly JitterBuffer _buffer;
    private readonly TimeSpan _pollInterval;

    /// <param name="pollInterval">How often a waiting frame's deadline is checked; well below the target delay.</param>
    public JitterBufferStage(JitterBuffer buffer, TimeSpan? pollInterval = null)
    {
        _buffer = buffer;
        _pollInterval = pollInterval ?? TimeSpan.FromMilliseconds(5);
        Shape = new FlowShape<MediaPacket, MediaPacket>(_in, _out);
    }

    public override FlowShape<MediaPacket, MediaPacket> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : TimerGraphStageLogic
    {
        private readonly JitterBufferStage _stage;

        public Logic(JitterBufferStage stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._in, onPush: () =>
            {
                _stage._buffer.Insert(Grab(_stage._in));
                TryPush();
                Pull(_stage._in);
            }, onUpstreamFinish: CompleteStage);
            SetHandler(stage._out, onPull: TryPush);
        }

        public override void PreStart()
        {
            ScheduleRepeatedly("poll", _stage._pollInterval);
            Pull(_stage._in);
        }

        protected override void OnTimer(object timerKey) => TryPush();

        public override void PostStop() => _stage._buffer.Clear();

        private void TryPush()
        {
            if (IsAvailable(_stage._out) && _stage._buffer.TryTake(out var packet)) Push(_stage._out, packet);
        }
    }
}
