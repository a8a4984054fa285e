using Akka.Streams;
using Akka.Streams.Stage;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Stages;

/// <summary>
/// A one-in, at-most-one-out packet stage: <see cref="Process"/> transforms the packet in place and returns
/// false to drop it (the base releases its buffer). Every per-packet stage of the pipeline is one of these.
/// </summary>
public abstract class PacketStage : GraphStage<FlowShape<MediaPacket, MediaPacket>>
{
    private readonly Inlet<MediaPacket> _in;
    private readonly Outlet<MediaPacket> _out;

    protected PacketStage(string name)
    {
        _in = new Inlet<MediaPacket>(name + ".in");
        _out = new Outlet<MediaPacket>(name + ".out");
        Shape = new FlowShape<MediaPacket, MediaPacket>(_in, _out);
    }

    public override FlowShape<MediaPacket, MediaPacket> Shape { get; }

    /// <summary>Returns true to pass the packet on, false to drop it.</summary>
    protected abstract bool Process(MediaPacket packet);

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly PacketStage _stage;

        public Logic(PacketStage stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._in, this);
            SetHandler(stage._out, this);
        }

        public override void OnPush()
        {
            var packet = Grab(_stage._in);
            bool keep;
            try
            {
                keep = _stage.Process(packet);
            }
            catch
            {
                packet.Release();
                throw;
            }
            if (keep) Push(_stage._out, packet);
            else
            {
                packet.Release();
                Pull(_stage._in);
            }
        }

        public override void OnPull() => Pull(_stage._in);
    }
}
