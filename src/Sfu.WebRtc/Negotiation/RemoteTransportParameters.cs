using Sfu.WebRtc.Dtls;

namespace Sfu.WebRtc.Negotiation;

/// <summary>The peer's transport parameters from its SDP, and the DTLS role that leaves us (RFC 8842 §5).</summary>
public sealed record RemoteTransportParameters(string IceUfrag, string IcePassword, string FingerprintAlgorithm, string Fingerprint, DtlsRole OurRole);
