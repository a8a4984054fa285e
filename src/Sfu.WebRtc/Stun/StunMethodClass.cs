namespace Sfu.WebRtc.Stun;

/// <summary>
/// The two class bits of the STUN message type (RFC 8489 §5); the values are the bits C1C0 so the
/// enum can be packed into and unpacked from the type field directly.
/// </summary>
public enum StunMethodClass
{
    Request = 0b00,
    Indication = 0b01,
    SuccessResponse = 0b10,
    ErrorResponse = 0b11,
}
