namespace Sfu.WebRtc.Sdp;

/// <summary>
/// The only exception the SDP parser throws: bad input is a signalling peer's fault, so callers
/// catch this one type and answer with an error instead of crashing the session.
/// </summary>
public sealed class SdpParseException : FormatException
{
    public SdpParseException(int lineNumber, string reason)
        : base(lineNumber > 0 ? $"SDP line {lineNumber}: {reason}" : $"SDP: {reason}")
    {
        LineNumber = lineNumber;
        Reason = reason;
    }

    /// <summary>1-based line of the offending line; 0 when the error concerns the whole description (size, missing lines).</summary>
    public int LineNumber { get; }

    public string Reason { get; }
}
