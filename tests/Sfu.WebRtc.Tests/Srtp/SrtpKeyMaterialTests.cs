using Sfu.WebRtc.Srtp;

namespace Sfu.WebRtc.Tests.Srtp;

public class SrtpKeyMaterialTests
{
    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80, 16, 14)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 16, 12)]
    public void Lengths(SrtpProfile profile, int key, int salt)
    {
        Assert.Equal(key, SrtpKeyMaterial.KeyLength(profile));
        Assert.Equal(salt, SrtpKeyMaterial.SaltLength(profile));
        Assert.Equal(2 * (key + salt), SrtpKeyMaterial.KeyingMaterialLength(profile));
    }

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Client_and_server_halves_cross_match(SrtpProfile profile)
    {
        var material = new byte[SrtpKeyMaterial.KeyingMaterialLength(profile)];
        new Random(5764).NextBytes(material);
        var (serverLocal, serverRemote) = SrtpKeyMaterial.CreateContexts(profile, material, isDtlsServer: true);
        var (clientLocal, clientRemote) = SrtpKeyMaterial.CreateContexts(profile, material, isDtlsServer: false);

        var fromClient = SrtpTestPackets.RtpPacket(1, 0x1111, 100);
        var fromServer = SrtpTestPackets.RtpPacket(1, 0x2222, 100);
        var srtpFromClient = SrtpTestPackets.Protect(clientLocal, fromClient);
        var srtpFromServer = SrtpTestPackets.Protect(serverLocal, fromServer);

        var (clientResult, clientPlain) = SrtpTestPackets.Unprotect(serverRemote, srtpFromClient);
        Assert.Equal(SrtpResult.Ok, clientResult);
        Assert.Equal(fromClient, clientPlain);
        var (serverResult, serverPlain) = SrtpTestPackets.Unprotect(clientRemote, srtpFromServer);
        Assert.Equal(SrtpResult.Ok, serverResult);
        Assert.Equal(fromServer, serverPlain);
        // The two directions use different keys: a side cannot read its own traffic with its remote context.
        Assert.Equal(SrtpResult.AuthenticationFailed, SrtpTestPackets.Unprotect(clientRemote, srtpFromClient).Result);
        Assert.Equal(SrtpResult.AuthenticationFailed, SrtpTestPackets.Unprotect(serverRemote, srtpFromServer).Result);

        var rtcp = SrtpTestPackets.RtcpPacket(0x1111);
        var (rtcpResult, rtcpPlain) = SrtpTestPackets.UnprotectRtcp(serverRemote, SrtpTestPackets.ProtectRtcp(clientLocal, rtcp));
        Assert.Equal(SrtpResult.Ok, rtcpResult);
        Assert.Equal(rtcp, rtcpPlain);
    }

    // RFC 5764 §4.2 layout: client key | server key | client salt | server salt.
    [Fact]
    public void Client_local_context_uses_the_first_key_and_first_salt()
    {
        const SrtpProfile profile = SrtpProfile.Aes128CmHmacSha1_80;
        var material = new byte[60];
        new Random(1).NextBytes(material);
        var (clientLocal, _) = SrtpKeyMaterial.CreateContexts(profile, material, isDtlsServer: false);
        var (_, serverRemote) = SrtpKeyMaterial.CreateContexts(profile, material, isDtlsServer: true);
        using var expected = new SrtpContext(profile, material.AsSpan(0, 16), material.AsSpan(32, 14));
        using var serverSide = new SrtpContext(profile, material.AsSpan(16, 16), material.AsSpan(46, 14));

        var rtp = SrtpTestPackets.RtpPacket(7, 0xABCD, 50);
        Assert.Equal(SrtpTestPackets.Protect(expected, rtp), SrtpTestPackets.Protect(clientLocal, rtp));
        Assert.Equal(SrtpResult.Ok, SrtpTestPackets.Unprotect(serverRemote, SrtpTestPackets.Protect(expected, SrtpTestPackets.RtpPacket(8, 0xABCD, 50))).Result);
        var (serverLocal, _) = SrtpKeyMaterial.CreateContexts(profile, material, isDtlsServer: true);
        Assert.Equal(SrtpTestPackets.Protect(serverSide, rtp), SrtpTestPackets.Protect(serverLocal, rtp));
    }

    [Fact]
    public void Wrong_material_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SrtpKeyMaterial.CreateContexts(SrtpProfile.AeadAes128Gcm, new byte[60], true));
        Assert.Throws<ArgumentException>(() => SrtpKeyMaterial.CreateContexts(SrtpProfile.Aes128CmHmacSha1_80, new byte[56], false));
    }
}
