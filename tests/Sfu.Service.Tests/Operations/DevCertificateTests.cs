using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sfu.Service.Hosting;

namespace Sfu.Service.Tests.Operations;

public class DevCertificateTests
{
    [Fact]
    public void Is_an_ecdsa_p256_server_certificate_for_localhost_and_the_given_addresses()
    {
        var address = IPAddress.Parse("192.0.2.10");
        using var cert = DevCertificate.Create(TimeProvider.System, [IPAddress.Loopback, address]);

        using var key = cert.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, key!.ExportParameters(false).Curve.Oid.Value);
        Assert.True(cert.HasPrivateKey);
        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", san.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, san.EnumerateIPAddresses());
        Assert.Contains(address, san.EnumerateIPAddresses());
        var eku = cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Contains(eku.EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.1");
        Assert.True(cert.NotAfter > DateTime.Now.AddDays(29));
    }

    [Fact]
    public void Machine_addresses_include_loopback()
    {
        Assert.Contains(IPAddress.Loopback, DevCertificate.MachineAddresses());
    }
}
