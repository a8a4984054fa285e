using System.Net;

namespace Sfu.WebRtc.Stun;

/// <summary>
/// The Binding messages an ICE-lite agent sends (RFC 8445 §7.3), plus the requests a full ICE
/// client sends, for tests and the load generator. Each returns bytes written, or 0 if
/// <c>dest</c> is too small. An empty integrity key means no MESSAGE-INTEGRITY.
/// </summary>
public static class StunWriter
{
    /// <summary>
    /// Binding success response: XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY (with the local password,
    /// RFC 8445 §7.3.1.5), FINGERPRINT (RFC 8445 §7.3 requires it on every check).
    /// </summary>
    public static int WriteBindingSuccess(Span<byte> dest, ReadOnlySpan<byte> transactionId, IPEndPoint mapped, ReadOnlySpan<byte> integrityKey)
    {
        var builder = new StunMessageBuilder(dest, StunMethod.Binding, StunMethodClass.SuccessResponse, transactionId);
        builder.AddXorMappedAddress(mapped);
        if (!integrityKey.IsEmpty)
            builder.AddMessageIntegrity(integrityKey);
        builder.AddFingerprint();
        return builder.Finish();
    }

    /// <summary>
    /// Binding error response with ERROR-CODE. RFC 8489 §9.1.3: a 400 or 401 answering a request
    /// that failed authentication carries no MESSAGE-INTEGRITY (pass an empty key); 487 Role
    /// Conflict answers an authenticated request and is protected (RFC 8445 §7.3.1.1).
    /// </summary>
    public static int WriteBindingError(Span<byte> dest, ReadOnlySpan<byte> transactionId, int errorCode, string reason, ReadOnlySpan<byte> integrityKey)
    {
        var builder = new StunMessageBuilder(dest, StunMethod.Binding, StunMethodClass.ErrorResponse, transactionId);
        builder.AddErrorCode(errorCode, reason);
        if (!integrityKey.IsEmpty)
            builder.AddMessageIntegrity(integrityKey);
        builder.AddFingerprint();
        return builder.Finish();
    }

    /// <summary>
    /// 420 Unknown Attribute naming the comprehension-required attribute the request carried
    /// (<see cref="StunMessageView.UnknownRequiredAttribute"/>, RFC 8489 §6.3.1.1).
    /// </summary>
    public static int WriteBindingUnknownAttribute(Span<byte> dest, ReadOnlySpan<byte> transactionId, ushort unknownAttribute, ReadOnlySpan<byte> integrityKey)
    {
        var builder = new StunMessageBuilder(dest, StunMethod.Binding, StunMethodClass.ErrorResponse, transactionId);
        builder.AddErrorCode(420, "Unknown Attribute");
        builder.AddUnknownAttributes([unknownAttribute]);
        if (!integrityKey.IsEmpty)
            builder.AddMessageIntegrity(integrityKey);
        builder.AddFingerprint();
        return builder.Finish();
    }

    /// <summary>
    /// A controlling agent's connectivity check (RFC 8445 §7.2.2): USERNAME "remoteUfrag:localUfrag",
    /// PRIORITY, ICE-CONTROLLING, optional USE-CANDIDATE, MESSAGE-INTEGRITY keyed with the remote
    /// password, FINGERPRINT.
    /// </summary>
    public static int WriteBindingRequest(Span<byte> dest, ReadOnlySpan<byte> transactionId, string username, uint priority, ulong tieBreaker, bool useCandidate, ReadOnlySpan<byte> integrityKey)
    {
        var builder = new StunMessageBuilder(dest, StunMethod.Binding, StunMethodClass.Request, transactionId);
        builder.AddUtf8(StunAttributeType.Username, username);
        builder.AddUInt32(StunAttributeType.Priority, priority);
        builder.AddUInt64(StunAttributeType.IceControlling, tieBreaker);
        if (useCandidate)
            builder.AddFlag(StunAttributeType.UseCandidate);
        if (!integrityKey.IsEmpty)
            builder.AddMessageIntegrity(integrityKey);
        builder.AddFingerprint();
        return builder.Finish();
    }

    /// <summary>
    /// Binding indication with only FINGERPRINT: the keepalive RFC 8445 §11 allows and browsers send;
    /// it needs no answer.
    /// </summary>
    public static int WriteBindingIndication(Span<byte> dest, ReadOnlySpan<byte> transactionId)
    {
        var builder = new StunMessageBuilder(dest, StunMethod.Binding, StunMethodClass.Indication, transactionId);
        builder.AddFingerprint();
        return builder.Finish();
    }
}
