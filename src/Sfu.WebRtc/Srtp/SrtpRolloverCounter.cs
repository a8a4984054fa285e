namespace Sfu.WebRtc.Srtp;

/// <summary>Packet index estimation across the 16-bit sequence number wrap (RFC 3711 §3.3.1 and Appendix A).</summary>
internal static class SrtpRolloverCounter
{
    /// <summary>
    /// Guesses the 48-bit index (ROC || SEQ) of a packet with sequence number <paramref name="seq"/>, given the
    /// highest index seen so far. The guess is the candidate among ROC-1, ROC, ROC+1 whose index lies closest
    /// to the highest one. Returns -1 when that would be ROC-1 with ROC already 0: the packet claims to be from
    /// before the stream started, which no honest sender produces.
    /// </summary>
    public static long EstimateIndex(ulong highestIndex, ushort seq)
    {
        long roc = (long)(highestIndex >> 16);
        int last = (ushort)highestIndex;
        long v;
        if (last < 32768)
            v = seq - last > 32768 ? roc - 1 : roc;
        else
            v = last - 32768 > seq ? roc + 1 : roc;
        return v < 0 ? -1 : (v << 16) | seq;
    }
}
