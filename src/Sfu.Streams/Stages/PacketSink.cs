using Akka.Streams;
using Akka.Streams.Stage;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Stages;

/// <summary>The end of a packet path: <see cref="Consume"/> takes ownership of each packet.</summary>
public abstract class PacketSink : GraphStage<SinkShape<MediaPacket>>
{
    private readonly Inlet<MediaPacket> _in;

    protected PacketSink(string name)
    {
        _in = new Inlet<MediaPacket>(name + ".in");
        Shape = new SinkShape<MediaPacket>(_in);
    }

    public override SinkShape<MediaPacket> Shape { get; }

    /// <summary>Handles one packet and becomes responsible for releasing it.</summary>
    protected abstract void Consume(MediaPacket packet);

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : InGraphStageLogic
    {
        private readonly PacketSink _stage;

        public Logic(PacketSink stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._in, this);
        }

        public override void PreStart() => Pull(_stage._in);

        public override void OnPush()
        {
            _stage.Consume(Grab(_stage._in));
            Pull(_stage._in);
        }
    }
}
