namespace Sfu.LoadGen;

/// <summary>
/// A client's media path to the target: a WebRTC connection (<see cref="ClientTransport"/>: ICE, DTLS, SRTP) for
/// our SFU and Janus, or plain/SRTP UDP with pre-shared keys (<see cref="RelayLink"/>) for the bare relays.
/// Publishers and subscribers only see this, so every target runs the same workload and the same accounting.
/// </summary>
internal interface IMediaLink : IDisposable
{
    /// <summary>Completes when media can flow (SRTP keys in place, or the relay acknowledged registration).</summary>
    Task Connected { get; }
    bool IsConnected { get; }
    /// <summary>Called on the receive thread with a clear RTP packet and its arrival time (Stopwatch ticks).</summary>
    Action<ReadOnlySpan<byte>, long>? RtpReceived { get; set; }
    /// <summary>Called on the receive thread with a clear compound RTCP packet.</summary>
    Action<ReadOnlySpan<byte>>? RtcpReceived { get; set; }
    /// <summary>Sends one RTP packet built in <paramref name="buffer"/> (with room for an SRTP tag after it).</summary>
    bool SendRtp(byte[] buffer, int length);
    bool SendRtcp(byte[] buffer, int length);
}
