using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace Sfu.WebRtc.Srtp;

/// <summary>
/// AES-128 in counter mode as SRTP uses it (RFC 3711 §4.1.1): keystream block j is AES(k, IV + j).
/// The IV's low 16 bits are always zero in SRTP (the salt and the packet index are shifted left by 16),
/// so the block counter only ever fills those 16 bits and never carries into the rest of the IV.
/// With AES-NI the round keys are expanded once and eight blocks are encrypted in parallel to hide the
/// AESENC latency; without it, counter blocks are batched through <see cref="System.Security.Cryptography.Aes.EncryptEcb(ReadOnlySpan{byte}, Span{byte}, PaddingMode)"/>.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    public const int BlockSize = 16;
    /// <summary>The 16-bit block counter bounds one keystream segment (RFC 3711 §4.1.1: at most 2^16 blocks).</summary>
    public const int MaxLength = 65536 * BlockSize;

    private const int Rounds = 10;
    private readonly Vector128<byte>[]? _roundKeys;
    private readonly System.Security.Cryptography.Aes? _ecb;

    public AesCounterMode(ReadOnlySpan<byte> key, bool allowHardware = true)
    {
        if (key.Length != 16)
            throw new ArgumentException("AES-128 needs a 16-byte key.", nameof(key));
        if (allowHardware && X86Aes.IsSupported)
        {
            _roundKeys = ExpandKey(key);
        }
        else
        {
            _ecb = System.Security.Cryptography.Aes.Create();
            _ecb.Key = key.ToArray();
        }
    }

    public bool IsHardwareAccelerated => _roundKeys is not null;

    /// <summary>XORs the keystream that starts at counter block <paramref name="iv"/> into <paramref name="data"/> (encrypts and decrypts alike).</summary>
    public void Transform(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (iv.Length != BlockSize)
            throw new ArgumentException("The counter block is 16 bytes.", nameof(iv));
        if (data.Length > MaxLength)
            throw new ArgumentException("More than 2^16 keystream blocks.", nameof(data));
        if (_roundKeys is not null)
            TransformHardware(Vector128.Create(iv), data);
        else
            TransformSoftware(iv, data);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> CounterBlock(Vector128<byte> iv, int j) =>
        // Bytes 14..15 hold the big-endian block counter; in the upper little-endian ulong they are bits 48..63.
        iv ^ Vector128.Create(0UL, (ulong)BinaryPrimitives.ReverseEndianness((ushort)j) << 48).AsByte();

    private void TransformHardware(Vector128<byte> iv, Span<byte> data)
    {
        ref Vector128<byte> rk = ref MemoryMarshal.GetArrayDataReference(_roundKeys!);
        ref byte p = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length;
        nuint offset = 0;
        int counter = 0;
        Vector128<byte> k0 = rk;
        Vector128<byte> kLast = Unsafe.Add(ref rk, Rounds);

        while (length - offset >= 8 * BlockSize)
        {
            Vector128<byte> b0 = CounterBlock(iv, counter) ^ k0;
            Vector128<byte> b1 = CounterBlock(iv, counter + 1) ^ k0;
            Vector128<byte> b2 = CounterBlock(iv, counter + 2) ^ k0;
            Vector128<byte> b3 = CounterBlock(iv, counter + 3) ^ k0;
            Vector128<byte> b4 = CounterBlock(iv, counter + 4) ^ k0;
            Vector128<byte> b5 = CounterBlock(iv, counter + 5) ^ k0;
            Vector128<byte> b6 = CounterBlock(iv, counter + 6) ^ k0;
            Vector128<byte> b7 = CounterBlock(iv, counter + 7) ^ k0;
            for (int r = 1; r < Rounds; r++)
            {
                Vector128<byte> k = Unsafe.Add(ref rk, r);
                b0 = X86Aes.Encrypt(b0, k);
                b1 = X86Aes.Encrypt(b1, k);
                b2 = X86Aes.Encrypt(b2, k);
                b3 = X86Aes.Encrypt(b3, k);
                b4 = X86Aes.Encrypt(b4, k);
                b5 = X86Aes.Encrypt(b5, k);
                b6 = X86Aes.Encrypt(b6, k);
                b7 = X86Aes.Encrypt(b7, k);
            }
            (Vector128.LoadUnsafe(ref p, offset) ^ X86Aes.EncryptLast(b0, kLast)).StoreUnsafe(ref p, offset);
            (Vector128.LoadUnsafe(ref p, offset + 16) ^ X86Aes.EncryptLast(b1, kLast)).StoreUnsafe(ref p, offset + 16);
            (Vector128.LoadUnsafe(ref p, offset + 32) ^ X86Aes.EncryptLast(b2, kLast)).StoreUnsafe(ref p, offset + 32);
            (Vector128.LoadUnsafe(ref p, offset + 48) ^ X86Aes.EncryptLast(b3, kLast)).StoreUnsafe(ref p, offset + 48);
            (Vector128.LoadUnsafe(ref p, offset + 64) ^ X86Aes.EncryptLast(b4, kLast)).StoreUnsafe(ref p, offset + 64);
            (Vector128.LoadUnsafe(ref p, offset + 80) ^ X86Aes.EncryptLast(b5, kLast)).StoreUnsafe(ref p, offset + 80);
            (Vector128.LoadUnsafe(ref p, offset + 96) ^ X86Aes.EncryptLast(b6, kLast)).StoreUnsafe(ref p, offset + 96);
            (Vector128.LoadUnsafe(ref p, offset + 112) ^ X86Aes.EncryptLast(b7, kLast)).StoreUnsafe(ref p, offset + 112);
            offset += 8 * BlockSize;
            counter += 8;
        }

        while (length - offset >= BlockSize)
        {
            (Vector128.LoadUnsafe(ref p, offset) ^ EncryptBlock(ref rk, CounterBlock(iv, counter))).StoreUnsafe(ref p, offset);
            offset += BlockSize;
            counter++;
        }

        if (offset < length)
        {
            Span<byte> keystream = stackalloc byte[BlockSize];
            EncryptBlock(ref rk, CounterBlock(iv, counter)).CopyTo(keystream);
            for (int i = 0; offset + (nuint)i < length; i++)
                Unsafe.Add(ref p, offset + (nuint)i) ^= keystream[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> EncryptBlock(ref Vector128<byte> rk, Vector128<byte> block)
    {
        block ^= rk;
        for (int r = 1; r < Rounds; r++)
            block = X86Aes.Encrypt(block, Unsafe.Add(ref rk, r));
        return X86Aes.EncryptLast(block, Unsafe.Add(ref rk, Rounds));
    }

    private void TransformSoftware(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        const int ChunkBlocks = 32;
        Span<byte> counters = stackalloc byte[ChunkBlocks * BlockSize];
        Span<byte> keystream = stackalloc byte[ChunkBlocks * BlockSize];
        int counter = 0;
        for (int offset = 0; offset < data.Length; offset += ChunkBlocks * BlockSize)
        {
            int chunk = Math.Min(ChunkBlocks * BlockSize, data.Length - offset);
            int blocks = (chunk + BlockSize - 1) / BlockSize;
            for (int b = 0; b < blocks; b++, counter++)
            {
                Span<byte> block = counters.Slice(b * BlockSize, BlockSize);
                iv.CopyTo(block);
                BinaryPrimitives.WriteUInt16BigEndian(block[14..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(iv[14..]) ^ counter));
            }
            _ecb!.EncryptEcb(counters[..(blocks * BlockSize)], keystream, PaddingMode.None);
            Span<byte> target = data.Slice(offset, chunk);
            for (int i = 0; i < target.Length; i++)
                target[i] ^= keystream[i];
        }
    }

    private static Vector128<byte>[] ExpandKey(ReadOnlySpan<byte> key)
    {
        var rk = new Vector128<byte>[Rounds + 1];
        rk[0] = Vector128.Create(key);
        // KeygenAssist needs its round constant as an immediate, hence the unrolled list.
        rk[1] = ExpandStep(rk[0], X86Aes.KeygenAssist(rk[0], 0x01));
        rk[2] = ExpandStep(rk[1], X86Aes.KeygenAssist(rk[1], 0x02));
        rk[3] = ExpandStep(rk[2], X86Aes.KeygenAssist(rk[2], 0x04));
        rk[4] = ExpandStep(rk[3], X86Aes.KeygenAssist(rk[3], 0x08));
        rk[5] = ExpandStep(rk[4], X86Aes.KeygenAssist(rk[4], 0x10));
        rk[6] = ExpandStep(rk[5], X86Aes.KeygenAssist(rk[5], 0x20));
        rk[7] = ExpandStep(rk[6], X86Aes.KeygenAssist(rk[6], 0x40));
        rk[8] = ExpandStep(rk[7], X86Aes.KeygenAssist(rk[7], 0x80));
        rk[9] = ExpandStep(rk[8], X86Aes.KeygenAssist(rk[8], 0x1B));
        rk[10] = ExpandStep(rk[9], X86Aes.KeygenAssist(rk[9], 0x36));
        return rk;
    }

    private static Vector128<byte> ExpandStep(Vector128<byte> key, Vector128<byte> assist)
    {
        assist = Sse2.Shuffle(assist.AsInt32(), 0xFF).AsByte();
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        return key ^ assist;
    }

    public void Dispose()
    {
        if (_roundKeys is not null)
            Array.Clear(_roundKeys);
        _ecb?.Dispose();
    }
}
