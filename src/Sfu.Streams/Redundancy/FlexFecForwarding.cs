using Sfu.Streams.Recovery;
using Sfu.WebRtc.Fec;

namespace Sfu.Streams.Redundancy;

/// <summary>
/// Turns a publisher's FlexFEC packet (flexfec-03) into the one the publisher would have sent had it produced the
/// subscriber's rewritten stream. The receiver recovers a lost packet as the XOR of the FEC payload and every other
/// protected packet it holds (draft-ietf-payload-flexible-fec-scheme-03 §6.3.2), so two things must match what the
/// subscriber got:
/// <list type="bullet">
/// <item>SSRC_i and SN base_i must name the subscriber's media SSRC and its numbering;</item>
/// <item>the XOR must be over the rewritten packets: the SFU changes the timestamp, payload type, header extensions
/// (ids, transport-wide sequence number) and VP8 picture ids, so for each protected packet it XORs the original out
/// and the copy the subscriber got in.</item>
/// </list>
/// A FEC packet is forwarded only when every packet it protects went to this subscriber, with one sequence offset.
/// One the SFU never got (lost on the publisher leg, not yet repaired by RTX) would be recovered by the subscriber
/// with the publisher's header extension block, whose ids mean other extensions toward the subscriber (Chrome's
/// mid id 4 would read as our video-orientation id 4); the SFU's own NACK/RTX repairs that leg instead.
/// </summary>
/// <remarks>Publisher ingress thread only: media and FEC of one track are forwarded there.</remarks>
public sealed class FlexFecForwarding
{
    private const int MapSize = 1024;
    private readonly long[] _mappedSource = new long[MapSize];
    private readonly ushort[] _mappedOutput = new ushort[MapSize];
    private readonly byte[] _scratch = new byte[1600];
    private int _sequence;

    /// <param name="ssrc">Our FEC SSRC toward the subscriber (second SSRC of the FEC-FR group we offered).</param>
    /// <param name="payloadType">The flexfec-03 payload type the subscriber accepted.</param>
    public FlexFecForwarding(uint ssrc, byte payloadType, ushort initialSequence)
    {
        Ssrc = ssrc;
        PayloadType = payloadType;
        _sequence = initialSequence;
        Array.Fill(_mappedSource, -1);
    }

    public uint Ssrc { get; }
    public byte PayloadType { get; }

    /// <summary>The FEC stream's own sequence numbers.</summary>
    public ushort NextSequence() => (ushort)_sequence++;

    /// <summary>Records that source packet <paramref name="sourceSequence"/> went to the subscriber as <paramref name="outputSequence"/>.</summary>
    public void OnMediaSent(long sourceSequence, ushort outputSequence)
    {
        var i = (int)(sourceSequence & (MapSize - 1));
        _mappedSource[i] = sourceSequence;
        _mappedOutput[i] = outputSequence;
    }

    private bool TryMap(long sourceSequence, out ushort output)
    {
        var i = (int)(sourceSequence & (MapSize - 1));
        output = _mappedOutput[i];
        return _mappedSource[i] == sourceSequence;
    }

    /// <summary>
    /// Rewrites a FlexFEC payload in place. <paramref name="payload"/> is the whole writable room from the FEC header
    /// on; <paramref name="length"/> its used part, which grows when a rewritten packet is longer than any original.
    /// </summary>
    /// <param name="sourceSsrc">The publisher's media SSRC, the one the FEC must protect.</param>
    /// <param name="outputSsrc">The subscriber's media SSRC.</param>
    /// <param name="originals">The publisher's packets as received.</param>
    /// <param name="sent">The subscriber's packets as sent (by output sequence number).</param>
    public FecRewrite TryRewrite(Span<byte> payload, ref int length, uint sourceSsrc, uint outputSsrc, FecSourceWindow originals, RetransmissionBuffer sent)
    {
        if (length > payload.Length || !FlexFec03Header.TryParse(payload[..length], out var h) || h.ProtectedSsrc != sourceSsrc) return FecRewrite.Invalid;
        var sourceBase = originals.Unwrap(h.SequenceBase);
        int? delta = null;
        for (var i = 0; i < h.MaskBits; i++)
        {
            if (!h.Protects(i)) continue;
            if (!TryMap(sourceBase + i, out var output)) return FecRewrite.Unmappable;
            var d = (ushort)(output - (ushort)(sourceBase + i));
            if (delta is null) delta = d;
            else if (delta != d) return FecRewrite.Unmappable;
        }
        if (delta is not { } offset) return FecRewrite.Invalid;
        for (var i = 0; i < h.MaskBits; i++)
        {
            if (!h.Protects(i)) continue;
            var source = sourceBase + i;
            TryMap(source, out var output);
            if (!originals.TryGet(source, out var original) || !sent.TryRead(output, _scratch, out var sentLength)) return FecRewrite.Unmappable;
            var rewritten = _scratch.AsSpan(0, sentLength);
            var need = FecXor.CoveredLength(h.Length, Math.Max(original.Length, rewritten.Length));
            if (need > payload.Length) return FecRewrite.Unmappable;
            if (need > length)
            {
                payload[length..need].Clear();
                length = need;
            }
            FecXor.TryApply(payload[..length], h.Length, original);
            FecXor.TryApply(payload[..length], h.Length, rewritten);
        }
        FlexFec03Header.WriteProtected(payload, outputSsrc, (ushort)(sourceBase + offset));
        return FecRewrite.Rewritten;
    }
}

public enum FecRewrite
{
    Rewritten,
    Invalid,
    Unmappable,
}
