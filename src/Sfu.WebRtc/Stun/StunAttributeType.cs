namespace Sfu.WebRtc.Stun;

/// <summary>
/// Attribute types this implementation reads or writes (IANA "STUN Attributes" registry).
/// Types below 0x8000 are comprehension-required, 0x8000 and above comprehension-optional (RFC 8489 §14).
/// </summary>
public static class StunAttributeType
{
    public const ushort MappedAddress = 0x0001;
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort UnknownAttributes = 0x000A;
    public const ushort MessageIntegritySha256 = 0x001C;
    public const ushort XorMappedAddress = 0x0020;
    public const ushort Priority = 0x0024;       // RFC 8445 §16.1
    public const ushort UseCandidate = 0x0025;   // RFC 8445 §16.1
    public const ushort Software = 0x8022;
    public const ushort Fingerprint = 0x8028;
    public const ushort IceControlled = 0x8029;  // RFC 8445 §16.1
    public const ushort IceControlling = 0x802A; // RFC 8445 §16.1

    public static bool IsComprehensionRequired(ushort type) => type < 0x8000;
}
