using Sfu.Web.Signaling;

namespace Sfu.Service.Hosting;

/// <summary>
/// First thing on SIGTERM (before Kestrel stops and before Akka's CoordinatedShutdown leaves the cluster): refuse new
/// joins, tell every signaling client <c>server-shutdown</c>, and wait until their sockets have closed, so the notice
/// is on the wire before the server tears connections down. Bounded by <see cref="DrainTimeout"/>; clients that do
/// not close by then are cut when Kestrel stops.
/// </summary>
public sealed class GracefulShutdown(SignalingGate gate, TimeProvider time, ILogger<GracefulShutdown> log) : IHostedLifecycleService
{
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var sessions = gate.Sessions;
        log.LogInformation("shutdown: refusing joins, telling {Sessions} signaling clients", sessions);
        gate.BeginShutdown();
        var started = time.GetTimestamp();
        while (gate.Sessions > 0 && time.GetElapsedTime(started) < DrainTimeout && !cancellationToken.IsCancellationRequested)
        {
            try { await Task.Delay(PollInterval, time, cancellationToken); }
            catch (OperationCanceledException) { break; }
        }
        if (gate.Sessions > 0)
            log.LogWarning("shutdown: {Open} signaling sockets still open after {Elapsed:0.0} s; Kestrel will close them", gate.Sessions, time.GetElapsedTime(started).TotalSeconds);
        else
            log.LogInformation("shutdown: every signaling client told and disconnected in {Elapsed:0} ms", time.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
