using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Srtp;

namespace Sfu.WebRtc.Tests.Dtls;

/// <summary>Runs only where an <c>openssl</c> binary is on PATH (Debian: apt-get install openssl).</summary>
public sealed class OpenSslFactAttribute : FactAttribute
{
    public OpenSslFactAttribute()
    {
        if (OpenSsl.Path is null)
            Skip = "openssl not found on PATH; install it (Debian: apt-get install openssl) to run the DTLS interop test.";
    }
}

public sealed class OpenSslTheoryAttribute : TheoryAttribute
{
    public OpenSslTheoryAttribute()
    {
        if (OpenSsl.Path is null)
            Skip = "openssl not found on PATH; install it (Debian: apt-get install openssl) to run the DTLS interop test.";
    }
}

internal static class OpenSsl
{
    public static readonly string? Path = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => System.IO.Path.Combine(dir, "openssl"))
        .FirstOrDefault(File.Exists);

    public static async Task<string> RunAsync(params string[] args)
    {
        using var process = Process.Start(Start(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(DtlsPair.Bound);
        Assert.True(process.ExitCode == 0, $"openssl {string.Join(' ', args)} failed: {await stderr}");
        return await stdout;
    }

    public static ProcessStartInfo Start(params string[] args)
    {
        var info = new ProcessStartInfo(Path!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        return info;
    }
}

/// <summary>
/// Our DTLS server against OpenSSL's DTLS 1.2 client over real UDP on loopback: OpenSSL's use_srtp and
/// RFC 5705 exporter are an independent implementation of what a browser does.
/// </summary>
public sealed partial class OpenSslInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sfu-dtls-openssl-").FullName;

    [GeneratedRegex(@"SRTP Extension negotiated, profile=(\S+)")]
    private static partial Regex SrtpProfileLine();

    [GeneratedRegex(@"Keying material: ([0-9A-Fa-f]+)")]
    private static partial Regex KeyingMaterialLine();

    [GeneratedRegex(@"-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----")]
    private static partial Regex PemCertificate();

    [GeneratedRegex(@"Fingerprint=([0-9A-Fa-f:]+)")]
    private static partial Regex FingerprintLine();

    [OpenSslTheory]
    [InlineData("SRTP_AES128_CM_SHA1_80", SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData("SRTP_AEAD_AES_128_GCM", SrtpProfile.AeadAes128Gcm)]
    [InlineData("SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80", SrtpProfile.AeadAes128Gcm)]
    public async Task OpenSsl_client_completes_the_handshake_and_exports_the_same_keys(string offered, SrtpProfile expected)
    {
        var (certFile, keyFile, fingerprint) = await CreateOpenSslIdentity();
        var serverCert = DtlsCertificate.Generate();
        using var server = new UdpDtlsServer(serverCert, fingerprint);
        using var client = StartClient(server.Port, offered, certFile, keyFile, SrtpProfileNegotiationLength(expected));

        var keys = await server.Transport.Completed.WaitAsync(DtlsPair.Bound);
        // EOF on stdin makes s_client send close_notify and exit.
        client.StandardInput.Close();
        var output = await ReadToExit(client);
        await server.Closed.WaitAsync(DtlsPair.Bound);

        Assert.Equal(expected, keys.Profile);
        Assert.Equal(expected.ToString(), ProfileOf(SrtpProfileLine().Match(output).Groups[1].Value));
        Assert.Equal(Convert.ToHexString(keys.KeyingMaterial), KeyingMaterialLine().Match(output).Groups[1].Value.ToUpperInvariant());
        var pem = PemCertificate().Match(output).Value;
        Assert.NotEmpty(pem);
        Assert.Equal(serverCert.Sha256Fingerprint, DtlsFingerprint.Format(SHA256.HashData(Convert.FromBase64String(
            pem.Replace("-----BEGIN CERTIFICATE-----", "").Replace("-----END CERTIFICATE-----", "")))));
    }

    [OpenSslFact]
    public async Task OpenSsl_client_with_an_unannounced_certificate_is_rejected()
    {
        var (certFile, keyFile, _) = await CreateOpenSslIdentity();
        using var server = new UdpDtlsServer(DtlsCertificate.Generate(), DtlsCertificate.Generate().Sha256Fingerprint);
        using var client = StartClient(server.Port, "SRTP_AES128_CM_SHA1_80", certFile, keyFile, 60);

        var e = await DtlsPair.FailureOf(server.Transport.Completed);
        client.StandardInput.Close();
        await ReadToExit(client);

        Assert.Equal(DtlsFailureReason.FingerprintMismatch, e.Reason);
    }

    [OpenSslFact]
    public async Task OpenSsl_client_without_use_srtp_is_rejected()
    {
        var (certFile, keyFile, fingerprint) = await CreateOpenSslIdentity();
        using var server = new UdpDtlsServer(DtlsCertificate.Generate(), fingerprint);
        using var client = StartClient(server.Port, null, certFile, keyFile, 60);

        var e = await DtlsPair.FailureOf(server.Transport.Completed);
        client.StandardInput.Close();
        await ReadToExit(client);

        Assert.Equal(DtlsFailureReason.NoCommonSrtpProfile, e.Reason);
    }

    private static int SrtpProfileNegotiationLength(SrtpProfile profile) =>
        profile == SrtpProfile.Aes128CmHmacSha1_80 ? 60 : 56;

    private static string ProfileOf(string openSslName) => openSslName switch
    {
        "SRTP_AES128_CM_SHA1_80" => nameof(SrtpProfile.Aes128CmHmacSha1_80),
        "SRTP_AEAD_AES_128_GCM" => nameof(SrtpProfile.AeadAes128Gcm),
        _ => openSslName,
    };

    private async Task<(string Cert, string Key, string Fingerprint)> CreateOpenSslIdentity()
    {
        var cert = System.IO.Path.Combine(_dir, "client.pem");
        var key = System.IO.Path.Combine(_dir, "client.key");
        await OpenSsl.RunAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", cert, "-subj", "/CN=openssl-client", "-days", "1");
        // OpenSSL's own formatting of the fingerprint, so our parser meets an independent producer.
        var line = await OpenSsl.RunAsync("x509", "-in", cert, "-noout", "-fingerprint", "-sha256");
        return (cert, key, FingerprintLine().Match(line).Groups[1].Value);
    }

    private static Process StartClient(int port, string? profiles, string certFile, string keyFile, int keyingLength)
    {
        List<string> args = ["s_client", "-dtls1_2", "-connect", $"127.0.0.1:{port}", "-cert", certFile, "-key", keyFile,
            "-mtu", "1200", "-no_ign_eof", "-showcerts",
            "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", keyingLength.ToString()];
        if (profiles is not null)
            args.AddRange(["-use_srtp", profiles]);
        return Process.Start(OpenSsl.Start([.. args]))!;
    }

    private static async Task<string> ReadToExit(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(DtlsPair.Bound);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
        return await stdout + await stderr;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A UDP socket on loopback in front of a server-role <see cref="DtlsTransport"/>; the first sender becomes the peer.</summary>
    private sealed class UdpDtlsServer : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile EndPoint? _peer;

        public UdpDtlsServer(DtlsCertificate certificate, string clientFingerprint)
        {
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Transport = new DtlsTransport(certificate, DtlsRole.Server, "sha-256", clientFingerprint,
                datagram => _socket.SendTo(datagram.Span, SocketFlags.None, _peer!),
                [SrtpProfile.AeadAes128Gcm, SrtpProfile.Aes128CmHmacSha1_80]);
            Transport.Closed += () => _closed.TrySetResult();
            Transport.Start();
            _ = ReceiveLoop();
        }

        public DtlsTransport Transport { get; }
        public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;
        public Task Closed => _closed.Task;

        private async Task ReceiveLoop()
        {
            var buffer = new byte[2048];
            try
            {
                while (true)
                {
                    var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                    _peer ??= result.RemoteEndPoint;
                    Transport.Receive(buffer.AsSpan(0, result.ReceivedBytes));
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            Transport.Dispose();
            _socket.Dispose();
        }
    }
}
