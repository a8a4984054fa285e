namespace Sfu.WebRtc.Dtls;

/// <summary>Tuning for <see cref="DtlsTransport"/>; <see cref="Default"/> suits WebRTC over UDP.</summary>
public sealed record DtlsTransportOptions
{
    public static DtlsTransportOptions Default { get; } = new();

    /// <summary>The whole handshake, from Start until keys, must finish within this time.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the handshake thread keeps reading after success: long enough to retransmit our final flight
    /// if the peer lost it (RFC 6347 §4.2.4) and to see an early close_notify; then the thread ends.
    /// </summary>
    public TimeSpan LingerAfterHandshake { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest datagram we emit. 1200 bytes fits every path WebRTC runs on (the same bound ICE and browsers use).</summary>
    public int MaxSendDatagramSize { get; init; } = 1200;

    /// <summary>Largest datagram we accept; bigger ones are dropped and counted.</summary>
    public int MaxReceiveDatagramSize { get; init; } = 1500;

    /// <summary>Datagrams waiting for the handshake thread; more are dropped and counted.</summary>
    public int ReceiveQueueCapacity { get; init; } = 64;

    /// <summary>
    /// Server only: answer the first ClientHello with a HelloVerifyRequest cookie (RFC 6347 §4.2.1). ICE connectivity
    /// checks already prove the address, so it is off by default; it costs one round trip.
    /// </summary>
    public bool UseHelloVerifyRequest { get; init; }

    /// <summary>Initial retransmission timer of a handshake flight (RFC 6347 §4.2.4.1 recommends 1 s; doubles on each loss).</summary>
    public TimeSpan InitialRetransmitTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
