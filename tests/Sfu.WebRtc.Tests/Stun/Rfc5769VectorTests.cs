using System.Net;
using System.Text;
using Sfu.WebRtc.Stun;

namespace Sfu.WebRtc.Tests.Stun;

public class Rfc5769VectorTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Rfc5769Vectors.Password);

    [Fact]
    public void SampleRequest_ParsesEveryIceAttribute()
    {
        Assert.True(StunMessage.IsStun(Rfc5769Vectors.Request));
        Assert.True(StunMessageView.TryParse(Rfc5769Vectors.Request, out var m));

        Assert.Equal(StunMethod.Binding, m.Method);
        Assert.Equal(StunMethodClass.Request, m.Class);
        Assert.Equal(Rfc5769Vectors.TransactionId, m.TransactionId.ToArray());
        Assert.True(m.HasUsername);
        Assert.Equal(Rfc5769Vectors.Username, Encoding.UTF8.GetString(m.Username));
        Assert.True(m.HasPriority);
        Assert.Equal(0x6e0001ffu, m.Priority);
        Assert.True(m.HasIceControlled);
        Assert.False(m.HasIceControlling);
        Assert.Equal(0x932ff9b151263b36ul, m.TieBreaker);
        Assert.False(m.UseCandidate);
        Assert.True(m.HasMessageIntegrity);
        Assert.True(m.HasFingerprint);
        Assert.Equal(0, m.ErrorCode);
        Assert.Equal(0, m.UnknownRequiredAttribute); // SOFTWARE is comprehension-optional
    }

    [Fact]
    public void SampleRequest_IntegrityAndFingerprintVerify()
    {
        Assert.True(StunMessageView.TryParse(Rfc5769Vectors.Request, out var m));
        Assert.True(m.VerifyMessageIntegrity(Key));
        Assert.True(m.VerifyFingerprint());
    }

    [Theory]
    [InlineData("VOkJxbRl1RmTxUk/WvJxBu")]
    [InlineData("VOkJxbRl1RmTxUk/WvxU")]
    [InlineData("")]
    public void SampleRequest_WrongPasswordFailsIntegrity(string password)
    {
        Assert.True(StunMessageView.TryParse(Rfc5769Vectors.Request, out var m));
        Assert.False(m.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(password)));
    }

    [Fact]
    public void SampleIPv4Response_ParsesAndVerifies()
    {
        Assert.True(StunMessageView.TryParse(Rfc5769Vectors.ResponseIPv4, out var m));
        Assert.Equal(StunMethod.Binding, m.Method);
        Assert.Equal(StunMethodClass.SuccessResponse, m.Class);
        Assert.Equal(Rfc5769Vectors.TransactionId, m.TransactionId.ToArray());
        Assert.True(m.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), mapped);
        Assert.True(m.VerifyMessageIntegrity(Key));
        Assert.True(m.VerifyFingerprint());
        Assert.False(m.HasUsername);
    }

    [Fact]
    public void SampleIPv6Response_ParsesAndVerifies()
    {
        Assert.True(StunMessageView.TryParse(Rfc5769Vectors.ResponseIPv6, out var m));
        Assert.Equal(StunMethodClass.SuccessResponse, m.Class);
        Assert.True(m.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), mapped);
        Assert.True(m.VerifyMessageIntegrity(Key));
        Assert.True(m.VerifyFingerprint());
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void FlippedByteBeforeFingerprint_FailsBothChecks(byte[] vector)
    {
        // Every byte before MESSAGE-INTEGRITY, header included, is covered by both checks.
        for (int i = 0; i < vector.Length - 32; i++)
        {
            var copy = (byte[])vector.Clone();
            copy[i] ^= 0x01;
            if (!StunMessageView.TryParse(copy, out var m))
                continue; // a flipped TLV header may no longer parse; that is also a rejection
            Assert.False(m.VerifyFingerprint(), $"fingerprint survived a flip at {i}");
            Assert.False(m.VerifyMessageIntegrity(Key), $"integrity survived a flip at {i}");
        }
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void FlippedFingerprintByte_FailsFingerprintOnly(byte[] vector)
    {
        var copy = (byte[])vector.Clone();
        copy[^1] ^= 0x80;
        Assert.True(StunMessageView.TryParse(copy, out var m));
        Assert.False(m.VerifyFingerprint());
        Assert.True(m.VerifyMessageIntegrity(Key));
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void FlippedIntegrityByte_FailsBoth(byte[] vector)
    {
        var copy = (byte[])vector.Clone();
        copy[^10] ^= 0x01; // inside the HMAC value
        Assert.True(StunMessageView.TryParse(copy, out var m));
        Assert.False(m.VerifyMessageIntegrity(Key));
        Assert.False(m.VerifyFingerprint());
    }

    public static TheoryData<byte[]> AllVectors() =>
        new() { Rfc5769Vectors.Request, Rfc5769Vectors.ResponseIPv4, Rfc5769Vectors.ResponseIPv6 };

    // The builder must reproduce the vectors exactly, MESSAGE-INTEGRITY and FINGERPRINT included,
    // when given the same attributes and the RFC's space padding.
    [Fact]
    public void Builder_ReproducesSampleRequest()
    {
        var dest = new byte[256];
        var b = new StunMessageBuilder(dest, StunMethod.Binding, StunMethodClass.Request, Rfc5769Vectors.TransactionId);
        b.AddUtf8(StunAttributeType.Software, "STUN test client", (byte)' ');
        b.AddUInt32(StunAttributeType.Priority, 0x6e0001ff);
        b.AddUInt64(StunAttributeType.IceControlled, 0x932ff9b151263b36);
        b.AddUtf8(StunAttributeType.Username, Rfc5769Vectors.Username, (byte)' ');
        b.AddMessageIntegrity(Key);
        b.AddFingerprint();
        Assert.Equal(Rfc5769Vectors.Request, dest.AsSpan(0, b.Finish()).ToArray());
    }

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8:1234:5678:11:2233:4455:6677")]
    public void Builder_ReproducesSampleResponses(string address)
    {
        byte[] expected = address.Contains(':') ? Rfc5769Vectors.ResponseIPv6 : Rfc5769Vectors.ResponseIPv4;
        var dest = new byte[256];
        var b = new StunMessageBuilder(dest, StunMethod.Binding, StunMethodClass.SuccessResponse, Rfc5769Vectors.TransactionId);
        b.AddUtf8(StunAttributeType.Software, "test vector", (byte)' ');
        b.AddXorMappedAddress(new IPEndPoint(IPAddress.Parse(address), 32853));
        b.AddMessageIntegrity(Key);
        b.AddFingerprint();
        Assert.Equal(expected, dest.AsSpan(0, b.Finish()).ToArray());
    }

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8:1234:5678:11:2233:4455:6677")]
    public void WriteBindingSuccess_WritesTheVectorsXorMappedAddress(string address)
    {
        byte[] vector = address.Contains(':') ? Rfc5769Vectors.ResponseIPv6 : Rfc5769Vectors.ResponseIPv4;
        int attributeLength = address.Contains(':') ? 24 : 12;
        var dest = new byte[256];
        int n = StunWriter.WriteBindingSuccess(dest, Rfc5769Vectors.TransactionId, new IPEndPoint(IPAddress.Parse(address), 32853), Key);
        // The vector's XOR-MAPPED-ADDRESS follows its 16-byte SOFTWARE attribute; ours comes first.
        Assert.Equal(vector.AsSpan(36, attributeLength).ToArray(), dest.AsSpan(20, attributeLength).ToArray());
        Assert.True(StunMessageView.TryParse(dest.AsSpan(0, n), out var m));
        Assert.True(m.VerifyMessageIntegrity(Key));
        Assert.True(m.VerifyFingerprint());
    }
}
