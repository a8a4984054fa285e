using Akka.Configuration;
using Akka.Dispatch;

namespace Sfu.Streams.Pipeline;

/// <summary>
/// Runs an actor's mailbox on the thread that put a message into it, instead of handing it to a pool thread.
/// Transport graphs run on it: the UDP receive thread that queues a datagram then wakes the session's graph and
/// processes the packet itself (decrypt, forward, encrypt, send), the way a C SFU handles a packet on the thread
/// that read it. A hand-off to a pool thread (futex wake, context switch, the pool thread parking again) cost more
/// CPU than forwarding the packet did: docs/PERFORMANCE.md.
/// </summary>
/// <remarks>
/// Akka's mailbox still serializes: a second thread that sends while the mailbox runs only enqueues, and the running
/// thread picks the message up before it lets go, so a graph never runs on two threads at once. What runs here must
/// never block (graph stages do not), since it delays the sender: for the receive thread, every other session.
/// </remarks>
public sealed class InlineDispatcher(MessageDispatcherConfigurator configurator) : MessageDispatcher(configurator)
{
    protected override void ExecuteTask(IRunnable run) => run.Run();

    protected override void Shutdown()
    {
        // No threads of its own to stop.
    }
}

/// <summary>Creates the <see cref="InlineDispatcher"/> for HOCON: <c>type = "Sfu.Streams.Pipeline.InlineDispatcherConfigurator, Sfu.Streams"</c>.</summary>
public sealed class InlineDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly InlineDispatcher _instance;

    public InlineDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites) : base(config, prerequisites) =>
        _instance = new InlineDispatcher(this);

    public override MessageDispatcher Dispatcher() => _instance;
}
