using System.Buffers.Binary;
using Sfu.WebRtc.Srtp;
using static Sfu.WebRtc.Tests.Srtp.SrtpTestPackets;

namespace Sfu.WebRtc.Tests.Srtp;

public class SrtpContextTests
{
    public static TheoryData<SrtpProfile, bool> Profiles => new()
    {
        { SrtpProfile.Aes128CmHmacSha1_80, true },
        { SrtpProfile.Aes128CmHmacSha1_80, false },
        { SrtpProfile.AeadAes128Gcm, true },
    };

    public static TheoryData<SrtpProfile> BothProfiles => new() { SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm };

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rtp_round_trips_with_csrcs_extension_and_any_payload_size(SrtpProfile profile, bool allowHardware)
    {
        var (sender, receiver) = Pair(profile, allowHardware);
        ushort seq = 1000;
        foreach (int payload in new[] { 0, 1, 15, 16, 17, 127, 128, 129, 160, 1200, 1400 })
        {
            foreach (var (csrcs, ext) in new[] { (0, 0), (2, 0), (0, 3), (15, 1) })
            {
                var rtp = RtpPacket(seq++, 0x12345678, payload, csrcs, ext);
                var srtp = Protect(sender, rtp);
                Assert.Equal(rtp.Length + sender.RtpOverhead, srtp.Length);
                int header = rtp.Length - payload;
                Assert.Equal(rtp[..header], srtp[..header]);
                if (payload >= 8)
                    Assert.NotEqual(rtp[header..], srtp[header..rtp.Length]);

                var (result, plain) = Unprotect(receiver, srtp);
                Assert.Equal(SrtpResult.Ok, result);
                Assert.Equal(rtp, plain);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rtcp_round_trips_and_carries_E_and_index(SrtpProfile profile, bool allowHardware)
    {
        var (sender, receiver) = Pair(profile, allowHardware);
        for (int i = 0; i < 5; i++)
        {
            var rtcp = RtcpPacket(0xAABBCCDD, extra: 24 * i);
            var srtcp = ProtectRtcp(sender, rtcp);
            Assert.Equal(rtcp.Length + sender.RtcpOverhead, srtcp.Length);
            Assert.Equal(rtcp[..8], srtcp[..8]);
            int indexAt = profile == SrtpProfile.AeadAes128Gcm ? srtcp.Length - 4 : srtcp.Length - 14;
            Assert.Equal(0x8000_0000u | (uint)i, BinaryPrimitives.ReadUInt32BigEndian(srtcp.AsSpan(indexAt)));

            var (result, plain) = UnprotectRtcp(receiver, srtcp);
            Assert.Equal(SrtpResult.Ok, result);
            Assert.Equal(rtcp, plain);
        }
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void Srtcp_index_counts_per_sender_ssrc(SrtpProfile profile)
    {
        var (sender, _) = Pair(profile);
        int indexFromEnd = profile == SrtpProfile.AeadAes128Gcm ? 4 : 14;
        uint IndexOf(byte[] srtcp) => BinaryPrimitives.ReadUInt32BigEndian(srtcp.AsSpan(srtcp.Length - indexFromEnd)) & 0x7FFF_FFFF;

        Assert.Equal(0u, IndexOf(ProtectRtcp(sender, RtcpPacket(1))));
        Assert.Equal(1u, IndexOf(ProtectRtcp(sender, RtcpPacket(1))));
        Assert.Equal(0u, IndexOf(ProtectRtcp(sender, RtcpPacket(2))));
        Assert.Equal(2u, IndexOf(ProtectRtcp(sender, RtcpPacket(1))));
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void Any_flipped_bit_fails_authentication_and_leaves_no_state(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        var srtp = Protect(sender, RtpPacket(5, 0x01020304, 64, csrcCount: 1, extensionWords: 1));
        for (int bit = 0; bit < srtp.Length * 8; bit++)
        {
            var tampered = (byte[])srtp.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            var result = Unprotect(receiver, tampered).Result;
            // A flip in CC or X changes the header layout itself, which may make the packet look too short.
            Assert.True(result is SrtpResult.AuthenticationFailed or SrtpResult.TooShort, $"bit {bit}: {result}");
        }
        Assert.Equal(0, receiver.StreamCount);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, srtp).Result);
        Assert.Equal(1, receiver.StreamCount);

        var srtcp = ProtectRtcp(sender, RtcpPacket(0x01020304));
        for (int i = 0; i < srtcp.Length; i++)
        {
            var tampered = (byte[])srtcp.Clone();
            tampered[i] ^= 0x40;
            Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtcp(receiver, tampered).Result);
        }
        Assert.Equal(SrtpResult.Ok, UnprotectRtcp(receiver, srtcp).Result);
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void Contexts_with_other_keys_reject(SrtpProfile profile)
    {
        var (sender, _) = Pair(profile);
        var otherKey = (byte[])MasterKey.Clone();
        otherKey[0] ^= 1;
        using var stranger = new SrtpContext(profile, otherKey, Salt(profile));
        Assert.Equal(SrtpResult.AuthenticationFailed, Unprotect(stranger, Protect(sender, RtpPacket(1, 9, 100))).Result);
        Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtcp(stranger, ProtectRtcp(sender, RtcpPacket(9))).Result);
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void Duplicate_rtp_is_rejected(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        var first = Protect(sender, RtpPacket(100, 7, 50));
        var second = Protect(sender, RtpPacket(101, 7, 50));
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, first).Result);
        Assert.Equal(SrtpResult.ReplayDuplicate, Unprotect(receiver, first).Result);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, second).Result);
        Assert.Equal(SrtpResult.ReplayDuplicate, Unprotect(receiver, first).Result);
        Assert.Equal(SrtpResult.ReplayDuplicate, Unprotect(receiver, second).Result);
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void Packets_older_than_the_128_packet_window_are_rejected(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        var packets = Enumerable.Range(0, 300).Select(i => Protect(sender, RtpPacket((ushort)(2000 + i), 7, 20))).ToArray();
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, packets[299]).Result);

        // Highest is 2299: 2172 (delta 127) is the oldest still inside the window, 2171 (delta 128) is out.
        Assert.Equal(SrtpResult.ReplayOld, Unprotect(receiver, packets[171]).Result);
        Assert.Equal(SrtpResult.ReplayOld, Unprotect(receiver, packets[0]).Result);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, packets[172]).Result);
        Assert.Equal(SrtpResult.ReplayDuplicate, Unprotect(receiver, packets[172]).Result);
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void Out_of_order_within_the_window_is_accepted_once(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        var packets = Enumerable.Range(0, 200).Select(i => Protect(sender, RtpPacket((ushort)(500 + i), 3, 30))).ToArray();
        var order = Enumerable.Range(0, 200).ToArray();
        new Random(42).Shuffle(order);
        // Keep the shuffle local: swap within blocks of 64 so nothing falls 128 behind the highest seen.
        Array.Sort(order, (a, b) => (a / 64).CompareTo(b / 64));
        foreach (int i in order)
        {
            var (result, plain) = Unprotect(receiver, packets[i]);
            Assert.Equal(SrtpResult.Ok, result);
            Assert.Equal(RtpPacket((ushort)(500 + i), 3, 30), plain);
        }
        // Highest seen is 699 (i = 199): i >= 72 lies inside the window, anything older fell out of it.
        for (int i = 72; i < 200; i++)
            Assert.Equal(SrtpResult.ReplayDuplicate, Unprotect(receiver, packets[i]).Result);
        for (int i = 0; i < 72; i++)
            Assert.Equal(SrtpResult.ReplayOld, Unprotect(receiver, packets[i]).Result);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Sequence_wrap_increments_the_rollover_counter_on_both_sides(SrtpProfile profile, bool allowHardware)
    {
        var (sender, receiver) = Pair(profile, allowHardware);
        const uint ssrc = 0xFEEDFACE;
        // 65400 .. 65535, 0 .. 65535, 0 .. 300: two wraps, ROC 0 -> 1 -> 2.
        var sent = new List<(byte[] Rtp, byte[] Srtp)>();
        int seq = 65400;
        for (int i = 0; i < 136 + 65536 + 300; i++, seq++)
        {
            var rtp = RtpPacket((ushort)seq, ssrc, 24);
            sent.Add((rtp, Protect(sender, rtp)));
        }

        // Reorder across each wrap so the receiver sees ...65534, 1, 65535, 0, 2...
        (sent[135], sent[137]) = (sent[137], sent[135]);
        int secondWrap = 136 + 65536;
        (sent[secondWrap - 1], sent[secondWrap + 1]) = (sent[secondWrap + 1], sent[secondWrap - 1]);
        foreach (var (rtp, srtp) in sent)
        {
            var (result, plain) = Unprotect(receiver, srtp);
            Assert.Equal(SrtpResult.Ok, result);
            Assert.Equal(rtp, plain);
        }

        // The same sequence numbers under ROC 2 produce other ciphertext than under ROC 0 or 1.
        Assert.NotEqual(sent[0].Srtp[12..], sent[65536].Srtp[12..]);
        // Replaying a packet from ROC 1 after ROC 2 has advanced past its window is refused.
        Assert.Equal(SrtpResult.ReplayOld, Unprotect(receiver, sent[secondWrap - 200].Srtp).Result);
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void A_receiver_that_assumed_the_wrong_rollover_counter_fails_authentication(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        // The sender is at ROC 1 (it wrapped), the receiver joins late and starts at ROC 0.
        for (int seq = 65530; seq <= 65535; seq++)
            Protect(sender, RtpPacket((ushort)seq, 1, 10));
        var afterWrap = Protect(sender, RtpPacket(3, 1, 10));
        Assert.Equal(SrtpResult.AuthenticationFailed, Unprotect(receiver, afterWrap).Result);
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void Retransmitting_the_same_sequence_number_reuses_its_index(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        var rtp = RtpPacket(40000, 11, 100);
        var first = Protect(sender, rtp);
        Protect(sender, RtpPacket(40001, 11, 100));
        Assert.Equal(first, Protect(sender, rtp));
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, first).Result);
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void Ssrcs_have_independent_state(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        var a = Protect(sender, RtpPacket(10, 0xA, 40));
        var b = Protect(sender, RtpPacket(10, 0xB, 40));
        Assert.NotEqual(a[12..], b[12..]);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, a).Result);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, b).Result);
        Assert.Equal(SrtpResult.ReplayDuplicate, Unprotect(receiver, a).Result);
        Assert.Equal(2, receiver.StreamCount);
    }

    // RFC 3711 §3.4: with E clear the SRTCP payload travels in clear but is still authenticated.
    [Fact]
    public void Aes_cm_srtcp_without_encryption_is_authenticated_and_passed_through()
    {
        var keys = SrtpSessionKeys.Derive(SrtpProfile.Aes128CmHmacSha1_80, MasterKey, MasterSalt14);
        using var receiver = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, keys);
        var rtcp = RtcpPacket(0x4242);
        byte[] authenticated = [.. rtcp, 0x00, 0x00, 0x00, 0x05];
        byte[] srtcp = [.. authenticated, .. System.Security.Cryptography.HMACSHA1.HashData(keys.RtcpAuthKey, authenticated)[..10]];

        var (result, plain) = UnprotectRtcp(receiver, srtcp);
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(rtcp, plain);
        Assert.Equal(SrtpResult.ReplayDuplicate, UnprotectRtcp(receiver, srtcp).Result);

        srtcp[10] ^= 1;
        using var fresh = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, keys);
        Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtcp(fresh, srtcp).Result);
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void Removing_a_stream_forgets_its_state(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        var srtp = Protect(sender, RtpPacket(10, 0xD, 40));
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, srtp).Result);
        Assert.True(receiver.RemoveStream(0xD));
        Assert.False(receiver.RemoveStream(0xD));
        Assert.Equal(0, receiver.StreamCount);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, srtp).Result);
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void Srtcp_replay_and_too_old_are_rejected(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        var packets = Enumerable.Range(0, 200).Select(_ => ProtectRtcp(sender, RtcpPacket(77))).ToArray();
        Assert.Equal(SrtpResult.Ok, UnprotectRtcp(receiver, packets[5]).Result);
        Assert.Equal(SrtpResult.ReplayDuplicate, UnprotectRtcp(receiver, packets[5]).Result);
        Assert.Equal(SrtpResult.Ok, UnprotectRtcp(receiver, packets[2]).Result);
        Assert.Equal(SrtpResult.Ok, UnprotectRtcp(receiver, packets[199]).Result);
        Assert.Equal(SrtpResult.ReplayOld, UnprotectRtcp(receiver, packets[71]).Result);
        Assert.Equal(SrtpResult.Ok, UnprotectRtcp(receiver, packets[72]).Result);
        Assert.Equal(SrtpResult.ReplayDuplicate, UnprotectRtcp(receiver, packets[199]).Result);
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void Short_packets_are_reported_not_thrown(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        var buffer = new byte[64];
        Assert.Equal(SrtpResult.TooShort, sender.ProtectRtp(buffer, 11, out _));
        Assert.Equal(SrtpResult.TooShort, sender.ProtectRtcp(buffer, 7, out _));
        // Header declares 15 CSRCs (72 bytes) but only 40 are there.
        buffer[0] = 0x8F;
        Assert.Equal(SrtpResult.TooShort, sender.ProtectRtp(buffer, 40, out _));
        Assert.Equal(SrtpResult.TooShort, receiver.UnprotectRtp(buffer, 40, out _));
        // A bare 12-byte header is valid RTP but too short to carry a tag.
        buffer[0] = 0x80;
        Assert.Equal(SrtpResult.TooShort, receiver.UnprotectRtp(buffer, 12 + receiver.RtpOverhead - 1, out _));
        Assert.Equal(SrtpResult.TooShort, receiver.UnprotectRtcp(buffer, 8 + receiver.RtcpOverhead - 1, out _));
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void Caller_errors_throw(SrtpProfile profile)
    {
        var (sender, _) = Pair(profile);
        var rtp = RtpPacket(1, 1, 100);
        Assert.Throws<ArgumentException>(() => sender.ProtectRtp(rtp, rtp.Length, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => sender.UnprotectRtp(rtp, rtp.Length + 1, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => sender.UnprotectRtcp(rtp, -1, out _));
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void Random_and_truncated_input_never_throws_and_never_authenticates(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        var random = new Random(20240601);
        var valid = Protect(sender, RtpPacket(9, 0x99, 200, 1, 2));
        var validRtcp = ProtectRtcp(sender, RtcpPacket(0x99));
        var buffer = new byte[1500];
        for (int i = 0; i < 4000; i++)
        {
            int length;
            switch (i % 4)
            {
                case 0:
                    length = random.Next(0, 300);
                    random.NextBytes(buffer.AsSpan(0, length));
                    break;
                case 1:
                    length = random.Next(0, valid.Length);
                    valid.AsSpan(0, length).CopyTo(buffer);
                    break;
                case 2:
                    length = valid.Length;
                    valid.CopyTo(buffer, 0);
                    buffer[random.Next(length)] ^= (byte)(1 << random.Next(8));
                    break;
                default:
                    length = random.Next(0, validRtcp.Length);
                    validRtcp.AsSpan(0, length).CopyTo(buffer);
                    break;
            }
            var copy = buffer.AsSpan(0, length).ToArray();
            Assert.NotEqual(SrtpResult.Ok, receiver.UnprotectRtp(buffer, length, out _));
            copy.CopyTo(buffer, 0);
            Assert.NotEqual(SrtpResult.Ok, receiver.UnprotectRtcp(buffer, length, out _));
        }
        Assert.Equal(0, receiver.StreamCount);
    }

    [Theory]
    [MemberData(nameof(BothProfiles))]
    public void Steady_state_protect_and_unprotect_allocate_nothing(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        var buffer = new byte[1200 + SrtpContext.MaxRtpOverhead];
        var rtp = RtpPacket(0, 0x5150, 1200 - 12);
        int failures = 0;
        void RoundTrip(ushort seq)
        {
            rtp.CopyTo(buffer, 0);
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), seq);
            sender.ProtectRtp(buffer, rtp.Length, out int length);
            if (receiver.UnprotectRtp(buffer, length, out _) != SrtpResult.Ok)
                failures++;
        }
        for (ushort seq = 0; seq < 200; seq++)
            RoundTrip(seq);

        // The least of three measurements: a per-packet allocation shows in all, a one-off by the runtime in one.
        long allocated = long.MaxValue;
        for (ushort lap = 0; lap < 3; lap++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (ushort seq = (ushort)(200 + lap * 1000); seq < 1200 + lap * 1000; seq++)
                RoundTrip(seq);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
    }
}
