namespace Sfu.WebRtc.Stun;

/// <summary>
/// CRC-32 as in ISO 3309 / ITU-T V.42 (reflected polynomial 0xEDB88320), which RFC 8489 §14.7
/// names for FINGERPRINT. Written here because System.IO.Hashing is not referenced; STUN
/// messages are short, so a byte-at-a-time table is fast enough.
/// </summary>
internal static class StunCrc32
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }

    public const uint Initial = 0xFFFFFFFFu;

    /// <summary>Feeds bytes into a running (un-finalised) CRC state, so a message can be hashed in pieces.</summary>
    public static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        foreach (byte b in data)
            state = table[(state ^ b) & 0xFF] ^ (state >> 8);
        return state;
    }

    public static uint Finish(uint state) => ~state;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Initial, data));
}
