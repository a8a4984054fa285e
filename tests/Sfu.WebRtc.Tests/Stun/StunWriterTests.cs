using System.Net;
using System.Text;
using Sfu.WebRtc.Stun;

namespace Sfu.WebRtc.Tests.Stun;

public class StunWriterTests
{
    private static readonly byte[] TxId = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("0123456789abcdefghijklmnopqrstuv");

    [Theory]
    [InlineData("abcd:efgh", 0x6e0001ffu, 0x0102030405060708ul, true)]
    [InlineData("a:b", 1u, ulong.MaxValue, false)]            // 3 bytes: padding needed
    [InlineData("remoteUfrag16chr:localUfrag16chr", 0u, 0ul, true)]
    [InlineData("ünïcödé:x", uint.MaxValue, 42ul, false)]     // multi-byte UTF-8
    public void BindingRequest_RoundTrips(string username, uint priority, ulong tieBreaker, bool useCandidate)
    {
        var dest = new byte[512];
        int n = StunWriter.WriteBindingRequest(dest, TxId, username, priority, tieBreaker, useCandidate, Key);
        Assert.True(n > 0);
        Assert.Equal(0, n % 4);
        Assert.True(StunMessage.IsStun(dest.AsSpan(0, n)));
        Assert.True(StunMessageView.TryParse(dest.AsSpan(0, n), out var m));

        Assert.Equal(StunMethod.Binding, m.Method);
        Assert.Equal(StunMethodClass.Request, m.Class);
        Assert.Equal(TxId, m.TransactionId.ToArray());
        Assert.Equal(username, Encoding.UTF8.GetString(m.Username));
        Assert.True(m.HasPriority);
        Assert.Equal(priority, m.Priority);
        Assert.True(m.HasIceControlling);
        Assert.False(m.HasIceControlled);
        Assert.Equal(tieBreaker, m.TieBreaker);
        Assert.Equal(useCandidate, m.UseCandidate);
        Assert.True(m.VerifyMessageIntegrity(Key));
        Assert.False(m.VerifyMessageIntegrity(Encoding.UTF8.GetBytes("0123456789abcdefghijklmnopqrstuw")));
        Assert.True(m.VerifyFingerprint());
    }

    [Fact]
    public void BindingRequest_WithoutKey_HasNoIntegrity()
    {
        var dest = new byte[128];
        int n = StunWriter.WriteBindingRequest(dest, TxId, "a:b", 1, 2, false, default);
        Assert.True(StunMessageView.TryParse(dest.AsSpan(0, n), out var m));
        Assert.False(m.HasMessageIntegrity);
        Assert.False(m.VerifyMessageIntegrity(Key)); // absent is never "verified"
        Assert.True(m.VerifyFingerprint());
    }

    [Theory]
    [InlineData("203.0.113.7", 54321, 8)]
    [InlineData("127.0.0.1", 1, 8)]
    [InlineData("2001:db8::42", 3478, 20)]
    [InlineData("::1", 65535, 20)]
    public void BindingSuccess_XorMappedAddressRoundTrips(string address, int port, int valueLength)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(address), port);
        var dest = new byte[128];
        int n = StunWriter.WriteBindingSuccess(dest, TxId, endPoint, Key);
        Assert.Equal(20 + 4 + valueLength + 24 + 8, n);
        Assert.True(StunMessageView.TryParse(dest.AsSpan(0, n), out var m));
        Assert.Equal(StunMethodClass.SuccessResponse, m.Class);
        Assert.Equal(TxId, m.TransactionId.ToArray());
        Assert.True(m.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(endPoint, mapped);
        Assert.True(m.VerifyMessageIntegrity(Key));
        Assert.True(m.VerifyFingerprint());
    }

    [Fact]
    public void BindingSuccess_MapsDualModeIPv4PeersBackToIPv4()
    {
        var dualMode = new IPEndPoint(IPAddress.Parse("192.0.2.1").MapToIPv6(), 5000);
        var dest = new byte[128];
        int n = StunWriter.WriteBindingSuccess(dest, TxId, dualMode, Key);
        Assert.True(StunMessageView.TryParse(dest.AsSpan(0, n), out var m));
        Assert.True(m.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5000), mapped);
    }

    [Theory]
    [InlineData(400, "Bad Request", false)]
    [InlineData(401, "Unauthorized", false)]
    [InlineData(487, "Role Conflict", true)]
    [InlineData(420, "", false)]
    public void BindingError_RoundTrips(int code, string reason, bool withIntegrity)
    {
        var dest = new byte[256];
        int n = StunWriter.WriteBindingError(dest, TxId, code, reason, withIntegrity ? Key : default);
        Assert.True(StunMessageView.TryParse(dest.AsSpan(0, n), out var m));
        Assert.Equal(StunMethod.Binding, m.Method);
        Assert.Equal(StunMethodClass.ErrorResponse, m.Class);
        Assert.Equal(code, m.ErrorCode);
        Assert.Equal(reason, Encoding.UTF8.GetString(m.ErrorReason));
        Assert.Equal(withIntegrity, m.HasMessageIntegrity);
        Assert.Equal(withIntegrity, m.VerifyMessageIntegrity(Key));
        Assert.True(m.VerifyFingerprint());
    }

    [Fact]
    public void UnknownAttributeError_NamesTheAttribute()
    {
        var dest = new byte[128];
        int n = StunWriter.WriteBindingUnknownAttribute(dest, TxId, 0x7F01, Key);
        Assert.True(StunMessageView.TryParse(dest.AsSpan(0, n), out var m));
        Assert.Equal(420, m.ErrorCode);
        Assert.True(m.VerifyMessageIntegrity(Key));
        Assert.True(m.VerifyFingerprint());
        // After the header: ERROR-CODE (4-byte TLV header, 4 + 17 bytes of value padded to 24), then UNKNOWN-ATTRIBUTES.
        Assert.Equal(new byte[] { 0x00, 0x0A, 0x00, 0x02, 0x7F, 0x01, 0x00, 0x00 }, dest.AsSpan(48, 8).ToArray());
    }

    [Theory]
    [InlineData(299)]
    [InlineData(700)]
    public void BindingError_RejectsCodesOutsideTheRfcRange(int code)
    {
        var dest = new byte[256];
        Assert.Throws<ArgumentOutOfRangeException>(() => StunWriter.WriteBindingError(dest, TxId, code, "x", default));
    }

    [Fact]
    public void BindingIndication_CarriesOnlyFingerprint()
    {
        var dest = new byte[64];
        int n = StunWriter.WriteBindingIndication(dest, TxId);
        Assert.Equal(28, n);
        Assert.True(StunMessageView.TryParse(dest.AsSpan(0, n), out var m));
        Assert.Equal(StunMethodClass.Indication, m.Class);
        Assert.Equal(StunMethod.Binding, m.Method);
        Assert.False(m.HasMessageIntegrity);
        Assert.True(m.VerifyFingerprint());
    }

    [Fact]
    public void EveryWriter_ReturnsZeroWhenDestinationIsTooSmall()
    {
        var endPoint = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 9);
        var big = new byte[256];
        int success = StunWriter.WriteBindingSuccess(big, TxId, endPoint, Key);
        int error = StunWriter.WriteBindingError(big, TxId, 487, "Role Conflict", Key);
        int request = StunWriter.WriteBindingRequest(big, TxId, "abcd:efgh", 1, 2, true, Key);
        int indication = StunWriter.WriteBindingIndication(big, TxId);

        for (int size = 0; size < success; size++)
            Assert.Equal(0, StunWriter.WriteBindingSuccess(new byte[size], TxId, endPoint, Key));
        for (int size = 0; size < error; size++)
            Assert.Equal(0, StunWriter.WriteBindingError(new byte[size], TxId, 487, "Role Conflict", Key));
        for (int size = 0; size < request; size++)
            Assert.Equal(0, StunWriter.WriteBindingRequest(new byte[size], TxId, "abcd:efgh", 1, 2, true, Key));
        for (int size = 0; size < indication; size++)
            Assert.Equal(0, StunWriter.WriteBindingIndication(new byte[size], TxId));

        Assert.Equal(success, StunWriter.WriteBindingSuccess(new byte[success], TxId, endPoint, Key));
        Assert.Equal(request, StunWriter.WriteBindingRequest(new byte[request], TxId, "abcd:efgh", 1, 2, true, Key));
    }

    [Fact]
    public void WrongTransactionIdLength_IsACallerBug()
    {
        Assert.Throws<ArgumentException>(() => StunWriter.WriteBindingIndication(new byte[64], new byte[11]));
    }

    [Theory]
    [InlineData((ushort)0x001, StunMethodClass.Request, (ushort)0x0001)]
    [InlineData((ushort)0x001, StunMethodClass.Indication, (ushort)0x0011)]
    [InlineData((ushort)0x001, StunMethodClass.SuccessResponse, (ushort)0x0101)]
    [InlineData((ushort)0x001, StunMethodClass.ErrorResponse, (ushort)0x0111)]
    [InlineData((ushort)0xFFF, StunMethodClass.ErrorResponse, (ushort)0x3FFF)]
    [InlineData((ushort)0xFFF, StunMethodClass.Request, (ushort)0x3EEF)]
    public void MessageType_PacksMethodAndClassPerRfc8489Figure3(ushort method, StunMethodClass @class, ushort type)
    {
        Assert.Equal(type, StunMessage.EncodeType(method, @class));
        Assert.Equal(method, StunMessage.DecodeMethod(type));
        Assert.Equal(@class, StunMessage.DecodeClass(type));
    }
}
