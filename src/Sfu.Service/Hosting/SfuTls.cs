using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Sfu.Service.Configuration;

namespace Sfu.Service.Hosting;

/// <summary>
/// HTTPS and WSS on server.tls.port, next to plain HTTP: from the configured PEM files, or with <c>--dev-cert</c>
/// from a fresh self-signed certificate. The listener is added to the host's URLs (so <c>--urls</c> and the HTTP
/// port keep working) and Kestrel's HTTPS defaults carry the certificate.
/// </summary>
public static class SfuTls
{
    /// <summary>The certificate to serve, or null for no HTTPS. Throws <see cref="ConfigException"/> for unreadable PEM files.</summary>
    public static X509Certificate2? LoadCertificate(TlsConfig tls, bool devCertificate, TimeProvider time)
    {
        if (tls.Enabled)
        {
            try
            {
                return X509Certificate2.CreateFromPemFile(tls.Cert, tls.Key);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                throw new ConfigException($"server.tls: cannot load certificate {tls.Cert} with key {tls.Key}: {e.Message.ReplaceLineEndings(" ")}", e);
            }
        }
        return devCertificate ? DevCertificate.Create(time) : null;
    }

    public static void Configure(WebApplicationBuilder builder, SfuConfig config, X509Certificate2 certificate)
    {
        var host = SfuOperations.HostFor(config.Server.Host);
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        var https = $"https://{host}:{config.Server.Tls.Port}";
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.IsNullOrEmpty(urls) ? https : $"{urls};{https}");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(h =>
        {
            h.ServerCertificate = certificate;
            h.ClientCertificateMode = ClientCertificateMode.NoCertificate;
        }));
    }
}
