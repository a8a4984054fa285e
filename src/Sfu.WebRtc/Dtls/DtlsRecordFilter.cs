namespace Sfu.WebRtc.Dtls;

/// <summary>
/// Cheap structural screening of incoming datagrams before BouncyCastle sees them. BouncyCastle 2.7 treats some
/// undecodable records as fatal during the handshake and lets unauthenticated epoch-0 records move its replay
/// window, so datagrams that cannot be genuine DTLS 1.x are discarded here (RFC 6347 §4.1.2.7: invalid records
/// are silently discarded).
/// </summary>
internal static class DtlsRecordFilter
{
    //  0                   1                   2                   3
    //  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    // |  ContentType  |  Version (major 0xFE, minor)  |     Epoch     .
    // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    // .     Epoch     |            Sequence number (48 bits)          .
    // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    // .                               |            Length             |
    // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    // |                   fragment (Length bytes) ...                 |
    // RFC 6347 §4.1; a datagram may carry several records back to back.
    private const int HeaderLength = 13;
    private const byte ChangeCipherSpec = 20;
    private const byte ApplicationData = 23;
    private const byte Heartbeat = 24;

    /// <summary>
    /// Smallest protected fragment our cipher suites produce: AES-GCM adds an 8-byte explicit nonce and a 16-byte
    /// tag to at least one byte (CBC needs 16 + 32). BouncyCastle 2.7 fails the handshake with decode_error on a
    /// shorter epoch>0 record instead of discarding it.
    /// </summary>
    private const int MinProtectedFragment = 8 + 16 + 1;

    public static bool IsPlausible(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < HeaderLength)
            return false;
        while (!datagram.IsEmpty)
        {
            if (datagram.Length < HeaderLength)
                return false;
            var contentType = datagram[0];
            if (contentType is < ChangeCipherSpec or > Heartbeat || datagram[1] != 0xFE)
                return false;
            var epoch = datagram[3] << 8 | datagram[4];
            var length = datagram[11] << 8 | datagram[12];
            if (length == 0 || HeaderLength + length > datagram.Length)
                return false;
            // Application data is never sent unprotected; BouncyCastle would still let such a record advance the
            // epoch-0 replay window and so hide the genuine handshake records behind it.
            if (epoch == 0 && contentType == ApplicationData)
                return false;
            if (epoch != 0 && length < MinProtectedFragment)
                return false;
            datagram = datagram[(HeaderLength + length)..];
        }
        return true;
    }
}
