using System.Buffers.Binary;
using System.Text;
using Sfu.WebRtc.Stun;

namespace Sfu.WebRtc.Tests.Stun;

public class StunMessageViewTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("0123456789abcdefghijklmnopqrstuv");

    // Builds a message by hand, bypassing StunMessageBuilder, so the parser is tested against bytes
    // the writer would never produce.
    private static byte[] Message(ushort type, params (ushort Type, byte[] Value)[] attributes)
    {
        var bytes = new List<byte>();
        foreach (var (t, v) in attributes)
        {
            bytes.AddRange([(byte)(t >> 8), (byte)t, (byte)(v.Length >> 8), (byte)v.Length]);
            bytes.AddRange(v);
            while (bytes.Count % 4 != 0)
                bytes.Add(0);
        }
        var header = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(header, type);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)bytes.Count);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), StunMessage.MagicCookie);
        for (int i = 8; i < 20; i++)
            header[i] = (byte)i;
        return [.. header, .. bytes];
    }

    [Fact]
    public void IsStun_AcceptsAHeaderOnlyMessage()
    {
        Assert.True(StunMessage.IsStun(Message(0x0001)));
        Assert.True(StunMessageView.TryParse(Message(0x0001), out var m));
        Assert.False(m.HasUsername || m.HasPriority || m.HasMessageIntegrity || m.HasFingerprint);
    }

    public static TheoryData<string, byte[]> NotStun()
    {
        var ok = Rfc5769Vectors.Request;
        byte[] With(Action<byte[]> change)
        {
            var copy = (byte[])ok.Clone();
            change(copy);
            return copy;
        }
        return new()
        {
            { "empty", [] },
            { "19 bytes", ok[..19] },
            { "truncated by 4", ok[..^4] },
            { "trailing bytes", [.. ok, 0, 0, 0, 0] },
            { "RTP first byte", With(b => b[0] = 0x80) },
            { "DTLS first byte", With(b => b[0] = 22) },
            { "top bits set", With(b => b[0] = 0x40) },
            { "bad cookie", With(b => b[7] ^= 1) },
            { "length not multiple of 4", With(b => b[3] = 0x57) },
        };
    }

    [Theory]
    [MemberData(nameof(NotStun))]
    public void NotStun_IsRejectedByBothDemuxAndParser(string name, byte[] datagram)
    {
        Assert.False(StunMessage.IsStun(datagram));
        Assert.False(StunMessageView.TryParse(datagram, out _), name);
    }

    public static TheoryData<string, byte[]> MalformedAttributes()
    {
        var fp = (StunAttributeType.Fingerprint, new byte[4]);
        var data = new TheoryData<string, byte[]>
        {
            { "PRIORITY of 3 bytes", Message(1, (StunAttributeType.Priority, new byte[3])) },
            { "PRIORITY of 8 bytes", Message(1, (StunAttributeType.Priority, new byte[8])) },
            { "ICE-CONTROLLING of 4 bytes", Message(1, (StunAttributeType.IceControlling, new byte[4])) },
            { "ICE-CONTROLLED of 12 bytes", Message(1, (StunAttributeType.IceControlled, new byte[12])) },
            { "USE-CANDIDATE with a value", Message(1, (StunAttributeType.UseCandidate, new byte[4])) },
            { "MESSAGE-INTEGRITY of 16 bytes", Message(1, (StunAttributeType.MessageIntegrity, new byte[16])) },
            { "FINGERPRINT of 8 bytes", Message(1, (StunAttributeType.Fingerprint, new byte[8])) },
            { "attribute after FINGERPRINT", Message(1, fp, (StunAttributeType.Priority, new byte[4])) },
            { "two FINGERPRINTs", Message(1, fp, fp) },
            { "ERROR-CODE too short", Message(0x111, (StunAttributeType.ErrorCode, new byte[3])) },
            { "ERROR-CODE class 2", Message(0x111, (StunAttributeType.ErrorCode, [0, 0, 2, 0])) },
            { "ERROR-CODE class 7", Message(0x111, (StunAttributeType.ErrorCode, [0, 0, 7, 0])) },
            { "ERROR-CODE number 100", Message(0x111, (StunAttributeType.ErrorCode, [0, 0, 4, 100])) },
            { "MESSAGE-INTEGRITY-SHA256 of 12 bytes", Message(1, (StunAttributeType.MessageIntegritySha256, new byte[12])) },
        };

        // Value length running past the end of the message.
        var overrun = Message(1, (StunAttributeType.Username, new byte[8]));
        overrun[23] = 13; // declares 13 bytes, 8 present
        data.Add("value past end", overrun);

        // The second attribute declares 5 bytes where only 4 remain. (Padding alone can never run
        // past the end: the message length is a multiple of 4, so a value that fits, fits padded.)
        var second = Message(1, (StunAttributeType.Priority, new byte[4]), (StunAttributeType.Username, new byte[4]));
        second[31] = 5;
        data.Add("second value past end", second);
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedAttributes))]
    public void MalformedAttributes_AreRejected(string name, byte[] datagram)
    {
        Assert.True(StunMessage.IsStun(datagram), "the header itself is valid in every case");
        Assert.False(StunMessageView.TryParse(datagram, out _), name);
    }

    [Theory]
    [InlineData("local:remote", "local", "remote")]
    [InlineData("a:", "a", "")]
    [InlineData("a:b:c", "a", "b:c")]
    [InlineData("nocolon", null, null)]
    public void TrySplitUsername(string username, string? receiver, string? sender)
    {
        Assert.True(StunMessageView.TryParse(Message(1, (StunAttributeType.Username, Encoding.UTF8.GetBytes(username))), out var m));
        bool split = m.TrySplitUsername(out var r, out var s);
        Assert.Equal(receiver is not null, split);
        if (split)
        {
            Assert.Equal(receiver, Encoding.UTF8.GetString(r));
            Assert.Equal(sender, Encoding.UTF8.GetString(s));
        }
    }

    [Fact]
    public void TrySplitUsername_FalseWithoutUsername()
    {
        Assert.True(StunMessageView.TryParse(Message(1), out var m));
        Assert.False(m.TrySplitUsername(out _, out _));
    }

    [Fact]
    public void FirstOccurrenceWins()
    {
        var m1 = Message(1,
            (StunAttributeType.Username, "first"u8.ToArray()),
            (StunAttributeType.Priority, [0, 0, 0, 1]),
            (StunAttributeType.Username, "second"u8.ToArray()),
            (StunAttributeType.Priority, [0, 0, 0, 2]));
        Assert.True(StunMessageView.TryParse(m1, out var m));
        Assert.Equal("first", Encoding.UTF8.GetString(m.Username));
        Assert.Equal(1u, m.Priority);
    }

    [Fact]
    public void AttributesAfterMessageIntegrity_AreIgnored()
    {
        var dest = new byte[256];
        var b = new StunMessageBuilder(dest, StunMethod.Binding, StunMethodClass.Request, new byte[12]);
        b.AddUtf8(StunAttributeType.Username, "a:b");
        b.AddMessageIntegrity(Key);
        // RFC 8489 §14.5: an attacker can append these without breaking the HMAC, so they must not count.
        b.AddUInt32(StunAttributeType.Priority, 7);
        b.AddFlag(StunAttributeType.UseCandidate);
        b.AddUtf8(StunAttributeType.Username, "evil:x");
        b.AddFingerprint();
        Assert.True(StunMessageView.TryParse(dest.AsSpan(0, b.Finish()), out var m));
        Assert.Equal("a:b", Encoding.UTF8.GetString(m.Username));
        Assert.False(m.HasPriority);
        Assert.False(m.UseCandidate);
        Assert.True(m.VerifyMessageIntegrity(Key));
        Assert.True(m.VerifyFingerprint());
    }

    [Fact]
    public void UnknownComprehensionRequiredAttribute_IsReported_OptionalOnesAreNot()
    {
        Assert.True(StunMessageView.TryParse(Message(1, (0xC057, new byte[4]), (0x7FFF, new byte[2]), (0x0030, new byte[0])), out var m));
        Assert.Equal((ushort)0x7FFF, m.UnknownRequiredAttribute);

        Assert.True(StunMessageView.TryParse(Message(1, (0xC057, new byte[4]), (StunAttributeType.Software, "x"u8.ToArray())), out m));
        Assert.Equal(0, m.UnknownRequiredAttribute);
    }

    [Fact]
    public void PaddingBytesMayHoldAnyValue()
    {
        var datagram = Message(1, (StunAttributeType.Username, "abcde"u8.ToArray()));
        datagram[^1] = datagram[^2] = datagram[^3] = 0xFF;
        Assert.True(StunMessageView.TryParse(datagram, out var m));
        Assert.Equal("abcde", Encoding.UTF8.GetString(m.Username));
    }

    [Fact]
    public void MalformedXorMappedAddress_ParsesButDoesNotDecode()
    {
        Assert.True(StunMessageView.TryParse(Message(0x101, (StunAttributeType.XorMappedAddress, [0, 3, 0, 0, 1, 2, 3, 4])), out var m));
        Assert.True(m.HasXorMappedAddress);
        Assert.False(m.TryGetXorMappedAddress(out _)); // family 3 does not exist

        Assert.True(StunMessageView.TryParse(Message(0x101, (StunAttributeType.XorMappedAddress, [0, 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8])), out m));
        Assert.False(m.TryGetXorMappedAddress(out _)); // IPv4 with 8 address bytes
    }

    [Fact]
    public void DefaultView_IsInert()
    {
        StunMessageView m = default;
        Assert.True(m.TransactionId.IsEmpty);
        Assert.True(m.Username.IsEmpty);
        Assert.False(m.VerifyFingerprint());
        Assert.False(m.VerifyMessageIntegrity(Key));
        Assert.False(m.TryGetXorMappedAddress(out _));
    }

    [Fact]
    public void LargeMessage_VerifiesIntegrityBeyondTheStackCopyLimit()
    {
        var dest = new byte[4096];
        var b = new StunMessageBuilder(dest, StunMethod.Binding, StunMethodClass.Request, new byte[12]);
        b.AddAttribute(StunAttributeType.Software, new byte[3000]);
        b.AddMessageIntegrity(Key);
        b.AddFingerprint();
        Assert.True(StunMessageView.TryParse(dest.AsSpan(0, b.Finish()), out var m));
        Assert.True(m.VerifyMessageIntegrity(Key));
        Assert.True(m.VerifyFingerprint());
    }
}
