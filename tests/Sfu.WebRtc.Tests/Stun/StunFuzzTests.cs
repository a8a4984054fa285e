using System.Net;
using System.Text;
using Sfu.WebRtc.Stun;

namespace Sfu.WebRtc.Tests.Stun;

/// <summary>Seeded random, truncated and mutated datagrams: the parser must answer false or a view, never throw.</summary>
public class StunFuzzTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("0123456789abcdefghijklmnopqrstuv");

    [Fact]
    public void RandomTruncatedAndMutatedInputs_NeverThrow()
    {
        var random = new Random(20251124);
        byte[][] seeds = Seeds();
        int parsed = 0, truncatedAccepted = 0;

        for (int i = 0; i < 10_000; i++)
        {
            byte[] input;
            switch (i % 4)
            {
                case 0: // pure noise, sometimes with a STUN-looking first byte
                    input = new byte[random.Next(0, 200)];
                    random.NextBytes(input);
                    break;
                case 1: // a valid message cut short
                    byte[] seed = seeds[random.Next(seeds.Length)];
                    input = seed[..random.Next(0, seed.Length)];
                    if (StunMessageView.TryParse(input, out _))
                        truncatedAccepted++;
                    break;
                case 2: // a valid message with a few random bytes changed
                    input = (byte[])seeds[random.Next(seeds.Length)].Clone();
                    for (int k = random.Next(1, 4); k > 0; k--)
                        input[random.Next(input.Length)] = (byte)random.Next(256);
                    break;
                default: // a valid header over random attribute bytes, so the TLV walk gets exercised
                    int bodyLength = random.Next(0, 40) * 4;
                    input = new byte[20 + bodyLength];
                    random.NextBytes(input.AsSpan(20));
                    seeds[0].AsSpan(0, 20).CopyTo(input);
                    input[2] = (byte)(bodyLength >> 8);
                    input[3] = (byte)bodyLength;
                    // Bias some attribute headers towards known types and small lengths.
                    for (int at = 20; at + 4 <= input.Length; at += 4 * random.Next(1, 4))
                    {
                        ushort type = KnownTypes[random.Next(KnownTypes.Length)];
                        input[at] = (byte)(type >> 8);
                        input[at + 1] = (byte)type;
                        input[at + 2] = 0;
                        input[at + 3] = (byte)(random.Next(0, 6) * 4 + random.Next(0, 2));
                    }
                    break;
            }

            Exercise(input, ref parsed);
        }

        Assert.Equal(0, truncatedAccepted);
        Assert.True(parsed > 1000, $"only {parsed} inputs reached the attribute walk and parsed");
    }

    private static readonly ushort[] KnownTypes =
    [
        StunAttributeType.Username, StunAttributeType.MessageIntegrity, StunAttributeType.ErrorCode,
        StunAttributeType.XorMappedAddress, StunAttributeType.Priority, StunAttributeType.UseCandidate,
        StunAttributeType.Fingerprint, StunAttributeType.IceControlled, StunAttributeType.IceControlling,
        StunAttributeType.MessageIntegritySha256, 0x7F00, 0xC057,
    ];

    private static void Exercise(byte[] input, ref int parsed)
    {
        bool isStun = StunMessage.IsStun(input);
        if (!StunMessageView.TryParse(input, out var m))
            return;
        Assert.True(isStun, "TryParse accepted what IsStun rejects");
        parsed++;
        _ = m.Method;
        _ = m.Class;
        _ = m.TransactionId.Length;
        _ = m.Username.Length;
        _ = m.Priority + (ulong)m.TieBreaker + (ulong)m.ErrorCode + m.UnknownRequiredAttribute;
        _ = m.ErrorReason.Length;
        _ = m.UseCandidate | m.HasIceControlled | m.HasIceControlling;
        _ = m.VerifyMessageIntegrity(Key);
        _ = m.VerifyFingerprint();
        _ = m.TryGetXorMappedAddress(out _);
    }

    private static byte[][] Seeds()
    {
        var txId = new byte[12];
        var success = new byte[128];
        var error = new byte[128];
        var request = new byte[128];
        int s = StunWriter.WriteBindingSuccess(success, txId, new IPEndPoint(IPAddress.IPv6Loopback, 9), Key);
        int e = StunWriter.WriteBindingError(error, txId, 401, "Unauthorized", default);
        int r = StunWriter.WriteBindingRequest(request, txId, "abcd:efgh", 5, 6, true, Key);
        return
        [
            request[..r], success[..s], error[..e],
            Rfc5769Vectors.Request, Rfc5769Vectors.ResponseIPv4, Rfc5769Vectors.ResponseIPv6,
        ];
    }
}
