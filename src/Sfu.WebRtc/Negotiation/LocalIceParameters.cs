using System.Net;

namespace Sfu.WebRtc.Negotiation;

/// <summary>What the SFU side of one transport puts in its SDP: ICE-lite credentials, host candidates, DTLS fingerprint.</summary>
public sealed record LocalIceParameters(string Ufrag, string Password, string Sha256Fingerprint, IReadOnlyList<IPEndPoint> Candidates, int? TcpPort = null);
