using Sfu.WebRtc.Srtp;

namespace Sfu.WebRtc.Dtls;

/// <summary>
/// Result of a DTLS-SRTP handshake: the negotiated profile and the raw exporter output
/// (client_write_key | server_write_key | client_write_salt | server_write_salt, RFC 5764 §4.2).
/// <paramref name="IsServer"/> tells which half protects what we send: a server sends with the server keys.
/// </summary>
public sealed record DtlsSrtpKeys(SrtpProfile Profile, byte[] KeyingMaterial, bool IsServer);
