using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Sfu.Service.Configuration;
using Sfu.Service.Hosting;

namespace Sfu.Service.Tests.Operations;

public class TlsTests
{
    [Fact]
    public async Task Dev_cert_serves_https_and_wss_on_the_tls_port_next_to_plain_http()
    {
        await using var server = await RunningServer.StartAsync(flags: ["--dev-cert"]);
        X509Certificate2? seen = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                seen = new X509Certificate2(cert!);
                return true;
            },
        };
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{server.TlsPort}/") };

        var health = await https.GetFromJsonAsync<JsonElement>("/health");

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.NotNull(seen);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, seen!.GetECDsaPublicKey()!.ExportParameters(false).Curve.Oid.Value);
        Assert.Contains(IPAddress.Loopback, seen.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses());
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode);

        await using var wss = await SignalingClient.ConnectAsync(new Uri($"wss://127.0.0.1:{server.TlsPort}/ws"),
            o => o.RemoteCertificateValidationCallback = (_, _, _, _) => true);
        await wss.SendAsync(new { type = "join", roomId = "tls", participantName = "x" });
        Assert.NotNull(await wss.ReceiveAsync("joined"));
    }

    [Fact]
    public async Task Configured_pem_files_are_served()
    {
        var dir = Directory.CreateTempSubdirectory("sfu-tls-");
        try
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=sfu.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var certPath = Path.Combine(dir.FullName, "cert.pem");
            var keyPath = Path.Combine(dir.FullName, "key.pem");
            await File.WriteAllTextAsync(certPath, cert.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

            await using var server = await RunningServer.StartAsync([$"server.tls.cert={certPath}", $"server.tls.key={keyPath}"]);
            string? thumbprint = null;
            using var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, c, _, errors) =>
                {
                    thumbprint = c!.Thumbprint;
                    return errors == SslPolicyErrors.RemoteCertificateChainErrors || errors == SslPolicyErrors.None
                        || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch);
                },
            };
            using var https = new HttpClient(handler);

            var response = await https.GetAsync($"https://127.0.0.1:{server.TlsPort}/health");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(cert.Thumbprint, thumbprint);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Unreadable_pem_files_are_a_configuration_error()
    {
        var tls = new TlsConfig("/nonexistent/cert.pem", "/nonexistent/key.pem", 8443);

        var error = Assert.Throws<ConfigException>(() => SfuTls.LoadCertificate(tls, devCertificate: false, TimeProvider.System));

        Assert.Contains("server.tls", error.Message);
        Assert.Contains("/nonexistent/cert.pem", error.Message);
    }
}
