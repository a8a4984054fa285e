namespace Sfu.WebRtc.Srtp;

/// <summary>
/// Sliding replay window over packet indices (RFC 3711 §3.3.2): remembers the highest index accepted and
/// which of the 128 indices at or below it were seen. Used with the 48-bit SRTP index (ROC || SEQ) and
/// the 31-bit SRTCP index alike. Check before authenticating, Accept only after the tag verified, so a
/// forged packet can neither move the window nor mark an index as used.
/// </summary>
internal struct SrtpReplayWindow
{
    public const int Size = 128;

    private UInt128 _seen; // bit k set: index Highest - k was accepted
    public ulong Highest { readonly get; private set; }
    public bool HasValue { readonly get; private set; }

    public readonly SrtpResult Check(ulong index)
    {
        if (!HasValue || index > Highest)
            return SrtpResult.Ok;
        ulong delta = Highest - index;
        if (delta >= Size)
            return SrtpResult.ReplayOld;
        return ((_seen >> (int)delta) & UInt128.One) != UInt128.Zero ? SrtpResult.ReplayDuplicate : SrtpResult.Ok;
    }

    public void Accept(ulong index)
    {
        if (!HasValue)
        {
            HasValue = true;
            Highest = index;
            _seen = UInt128.One;
        }
        else if (index > Highest)
        {
            ulong shift = index - Highest;
            _seen = shift >= Size ? UInt128.One : (_seen << (int)shift) | UInt128.One;
            Highest = index;
        }
        else
        {
            ulong delta = Highest - index;
            if (delta < Size)
                _seen |= UInt128.One << (int)delta;
        }
    }

    /// <summary>Moves the highest index forward without recording receipt: a sender tracks its own ROC this way.</summary>
    public void Advance(ulong index)
    {
        if (!HasValue || index > Highest)
        {
            HasValue = true;
            Highest = index;
        }
    }
}
