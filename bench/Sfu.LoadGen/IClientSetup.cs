namespace Sfu.LoadGen;

/// <summary>
/// How one client gets its media link going on a target: our signaling WebSocket (<see cref="SfuPublisherSetup"/>,
/// <see cref="SfuSubscriberSetup"/>), Janus's HTTP API (<see cref="JanusPublisherSetup"/>,
/// <see cref="JanusSubscriberSetup"/>), or a registration datagram for the bare relays (<see cref="RelayLink"/>).
/// </summary>
internal interface IClientSetup : IAsyncDisposable
{
    /// <summary>The first error the target reported for this client, if any.</summary>
    string? Error { get; }
    /// <summary>Joins the room and starts the media link; the link's <see cref="IMediaLink.Connected"/> tells when media flows.</summary>
    Task JoinAsync(CancellationToken ct);
}
