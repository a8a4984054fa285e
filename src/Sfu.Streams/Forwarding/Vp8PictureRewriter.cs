using Sfu.WebRtc.Codecs;

namespace Sfu.Streams.Forwarding;

/// <summary>
/// Keeps the VP8 picture id and TL0PICIDX (RFC 7741 §4.2) one subscriber sees continuous across simulcast layer
/// switches: each layer numbers its pictures independently, and a receiver that sees the picture id jump assumes lost
/// frames. After <see cref="Restart"/> the next picture continues from the last one sent.
/// </summary>
/// <remarks>Forwarding thread only.</remarks>
public sealed class Vp8PictureRewriter
{
    private int _pidOffset;
    private int _lastPid = -1;
    private int _tl0Offset;
    private int _lastTl0 = -1;
    private bool _restart;

    public int LastPictureId => _lastPid;
    public int LastTl0PicIdx => _lastTl0;

    /// <summary>The next packet starts a new source; its picture becomes last + 1.</summary>
    public void Restart() => _restart = true;

    /// <summary>Rewrites the descriptor at the start of <paramref name="payload"/> in place; false if it is not a VP8 descriptor.</summary>
    public bool Rewrite(Span<byte> payload)
    {
        if (!Vp8PayloadDescriptor.TryParse(payload, out var d)) return false;
        var restart = _restart;
        _restart = false;
        if (d.HasPictureId)
        {
            var modulus = d.PictureIdIs15Bit ? 0x8000 : 0x80;
            if (restart && _lastPid >= 0) _pidOffset = _lastPid + 1 - d.PictureId;
            var pid = Mod(d.PictureId + _pidOffset, modulus);
            Vp8PayloadDescriptor.WritePictureId(payload, d, pid);
            if (_lastPid < 0 || IsNewer(pid, _lastPid % modulus, modulus)) _lastPid = pid;
        }
        if (d.HasTl0PicIdx)
        {
            if (restart && _lastTl0 >= 0) _tl0Offset = _lastTl0 + 1 - d.Tl0PicIdx;
            var tl0 = Mod(d.Tl0PicIdx + _tl0Offset, 256);
            Vp8PayloadDescriptor.WriteTl0PicIdx(payload, d, (byte)tl0);
            if (_lastTl0 < 0 || IsNewer(tl0, _lastTl0, 256)) _lastTl0 = tl0;
        }
        return true;
    }

    private static int Mod(int value, int modulus) => ((value % modulus) + modulus) % modulus;

    private static bool IsNewer(int a, int b, int modulus)
    {
        var delta = Mod(a - b, modulus);
        return delta != 0 && delta < modulus / 2;
    }
}
