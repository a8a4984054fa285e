namespace Sfu.WebRtc.Stun;

/// <summary>STUN method numbers (IANA "STUN Methods" registry). ICE only ever uses Binding.</summary>
public static class StunMethod
{
    public const ushort Binding = 0x001;
}
