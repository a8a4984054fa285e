using Sfu.WebRtc.Stun;

namespace Sfu.E2E.Tests.Robustness;

/// <summary>What the server answered to one forged Binding request.</summary>
public readonly record struct StunReply(string TransactionId, StunMethodClass Class, int ErrorCode, bool HasMessageIntegrity)
{
    public static bool TryRead(ReadOnlySpan<byte> datagram, out StunReply reply)
    {
        reply = default;
        if (!StunMessageView.TryParse(datagram, out var message)) return false;
        reply = new StunReply(Convert.ToHexString(message.TransactionId), message.Class, message.ErrorCode, message.HasMessageIntegrity);
        return true;
    }
}
