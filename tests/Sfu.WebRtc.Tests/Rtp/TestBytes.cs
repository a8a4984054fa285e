namespace Sfu.WebRtc.Tests.Rtp;

internal static class TestBytes
{
    /// <summary>Bytes from hex written with any spacing, so test vectors can follow the RFC diagrams' layout.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));
}
