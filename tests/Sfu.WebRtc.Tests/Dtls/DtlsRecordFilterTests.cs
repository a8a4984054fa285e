using Sfu.WebRtc.Dtls;

namespace Sfu.WebRtc.Tests.Dtls;

public class DtlsRecordFilterTests
{
    private static byte[] Record(byte type, int epoch, int length, byte versionMajor = 0xFE)
    {
        var r = new byte[13 + length];
        r[0] = type;
        r[1] = versionMajor;
        r[2] = 0xFD;
        r[3] = (byte)(epoch >> 8);
        r[4] = (byte)epoch;
        r[11] = (byte)(length >> 8);
        r[12] = (byte)length;
        return r;
    }

    [Theory]
    [InlineData(22, 0, 100)] // ClientHello
    [InlineData(20, 0, 1)]   // change_cipher_spec
    [InlineData(21, 0, 2)]   // plaintext alert
    [InlineData(22, 1, 40)]  // Finished under AES-GCM: 12 + 12 + 8 + 16
    [InlineData(21, 1, 26)]  // alert under AES-GCM: 2 + 8 + 16
    [InlineData(23, 1, 25)]
    public void Genuine_record_shapes_pass(byte type, int epoch, int length)
    {
        Assert.True(DtlsRecordFilter.IsPlausible(Record(type, epoch, length)));
    }

    [Fact]
    public void Several_records_in_one_datagram_pass()
    {
        byte[] datagram = [.. Record(22, 0, 50), .. Record(20, 0, 1), .. Record(22, 1, 40)];

        Assert.True(DtlsRecordFilter.IsPlausible(datagram));
    }

    [Theory]
    [InlineData(19, 0, 10, 0xFE)] // content type below DTLS range
    [InlineData(26, 0, 10, 0xFE)] // above
    [InlineData(22, 0, 10, 0x03)] // TLS, not DTLS
    [InlineData(23, 0, 10, 0xFE)] // unprotected application data
    [InlineData(21, 1, 18, 0xFE)] // too short to be protected
    [InlineData(22, 0, 0, 0xFE)]  // empty fragment
    public void Impossible_records_are_rejected(byte type, int epoch, int length, byte major)
    {
        Assert.False(DtlsRecordFilter.IsPlausible(Record(type, epoch, length, major)));
    }

    [Fact]
    public void Truncated_and_trailing_bytes_are_rejected()
    {
        var record = Record(22, 0, 50);

        Assert.False(DtlsRecordFilter.IsPlausible(record.AsSpan(0, record.Length - 1)));
        Assert.False(DtlsRecordFilter.IsPlausible(record.AsSpan(0, 12)));
        Assert.False(DtlsRecordFilter.IsPlausible([.. record, 22, 0xFE]));
        Assert.False(DtlsRecordFilter.IsPlausible([]));
    }

    [Fact]
    public void Random_and_truncated_input_never_throws()
    {
        var random = new Random(7983);
        var genuine = (byte[])[.. Record(22, 0, 200), .. Record(22, 1, 60)];
        for (var i = 0; i < 20000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            DtlsRecordFilter.IsPlausible(bytes);
            DtlsRecordFilter.IsPlausible(genuine.AsSpan(0, random.Next(genuine.Length + 1)));
        }
    }
}
