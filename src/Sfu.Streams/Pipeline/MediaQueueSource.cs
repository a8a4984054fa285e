using Akka.Streams;
using Akka.Streams.Stage;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Pipeline;

/// <summary>
/// Emits what other threads put into a <see cref="MediaQueue"/>. While the queue holds packets the graph reads
/// them on demand with no hand-off at all; only when it ran dry does the next write wake the graph, with one async
/// callback (a message to the graph's actor) straight from the writing thread. `ChannelSource.FromReader` woke a
/// thread-pool thread first, which then woke the graph: docs/PERFORMANCE.md has what that cost per packet.
/// Completes when the queue is completed (the participant closed the connection).
/// </summary>
public sealed class MediaQueueSource : GraphStage<SourceShape<MediaPacket>>
{
    private readonly MediaQueue _queue;
    private readonly Outlet<MediaPacket> _out = new("media-queue.out");

    public MediaQueueSource(MediaQueue queue)
    {
        _queue = queue;
        Shape = new SourceShape<MediaPacket>(_out);
    }

    public override SourceShape<MediaPacket> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly MediaQueueSource _stage;
        private Action? _wake;

        public Logic(MediaQueueSource stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._out, this);
        }

        public override void PreStart()
        {
            var callback = GetAsyncCallback(OnWake);
            _wake = () => callback();
            _stage._queue.Attach(_wake);
        }

        public override void PostStop()
        {
            if (_wake is not null) _stage._queue.Detach(_wake);
        }

        public override void OnPull() => TryPush();

        private void OnWake()
        {
            if (IsAvailable(_stage._out)) TryPush();
        }

        private void TryPush()
        {
            var queue = _stage._queue;
            if (queue.Reader.TryRead(out var packet))
            {
                Push(_stage._out, packet);
                return;
            }
            if (queue.IsCompleted)
            {
                CompleteStage();
                return;
            }
            queue.Arm();
            // A write between the failed read and the arming did not see the arming: look once more.
            if (!queue.Reader.TryRead(out packet)) return;
            queue.Disarm();
            Push(_stage._out, packet);
        }
    }
}
