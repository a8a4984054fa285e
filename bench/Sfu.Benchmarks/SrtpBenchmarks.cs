using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Sfu.WebRtc.Srtp;

namespace Sfu.Benchmarks;

/// <summary>
/// SRTP protect / unprotect of 1200-byte RTP packets (a typical video packet), per profile. Each operation
/// copies one packet into the work buffer first, as a forwarding hop would receive it, then transforms it in
/// place. Unprotect walks a ring of distinct pre-protected packets (replay protection refuses repeats) and
/// forgets the SSRC between rounds of the ring, which costs one dictionary remove per 1024 packets.
/// </summary>
[MemoryDiagnoser]
[OperationsPerSecond]
public class SrtpBenchmarks
{
    private const int PacketLength = 1200;
    private const int Ring = 1024;
    private const uint Ssrc = 0x1234_5678;

    private SrtpContext _sender = null!;
    private SrtpContext _receiver = null!;
    private byte[] _plain = null!;
    private byte[][] _protected = null!;
    private int _protectedLength;
    private readonly byte[] _buffer = new byte[PacketLength + SrtpContext.MaxRtpOverhead];
    private ushort _seq;

    [Params(SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm)]
    public SrtpProfile Profile { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var material = new byte[SrtpKeyMaterial.KeyingMaterialLength(Profile)];
        new Random(1).NextBytes(material);
        (_sender, _) = SrtpKeyMaterial.CreateContexts(Profile, material, isDtlsServer: true);
        (_, _receiver) = SrtpKeyMaterial.CreateContexts(Profile, material, isDtlsServer: false);
        using var ringSender = SrtpKeyMaterial.CreateContexts(Profile, material, isDtlsServer: true).Local;

        _plain = new byte[PacketLength];
        new Random(2).NextBytes(_plain);
        _plain[0] = 0x80;
        _plain[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(_plain.AsSpan(8), Ssrc);

        _protected = new byte[Ring][];
        for (int i = 0; i < Ring; i++)
        {
            var packet = new byte[PacketLength + SrtpContext.MaxRtpOverhead];
            _plain.CopyTo(packet, 0);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)i);
            ringSender.ProtectRtp(packet, PacketLength, out _protectedLength);
            _protected[i] = packet;
        }
    }

    [Benchmark(OperationsPerInvoke = Ring)]
    public int ProtectRtp()
    {
        int total = 0;
        for (int i = 0; i < Ring; i++)
        {
            _plain.CopyTo(_buffer, 0);
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(2), _seq++);
            _sender.ProtectRtp(_buffer, PacketLength, out int length);
            total += length;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = Ring)]
    public int UnprotectRtp()
    {
        int total = 0;
        for (int i = 0; i < Ring; i++)
        {
            _protected[i].AsSpan(0, _protectedLength).CopyTo(_buffer);
            if (_receiver.UnprotectRtp(_buffer, _protectedLength, out int length) != SrtpResult.Ok)
                throw new InvalidOperationException("Unprotect failed in the benchmark ring.");
            total += length;
        }
        _receiver.RemoveStream(Ssrc);
        return total;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }
}
