using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Srtp;

namespace Sfu.WebRtc.Tests.Dtls;

/// <summary>Our server and our client wired back to back in-process; <see cref="Wire"/> may drop, inject or reorder.</summary>
internal sealed class DtlsPair : IDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public delegate void Wire(bool fromServer, ReadOnlyMemory<byte> datagram, Action<ReadOnlyMemory<byte>> deliver);

    private DtlsPair(DtlsTransport server, DtlsTransport client, DtlsCertificate serverCert, DtlsCertificate clientCert)
    {
        Server = server;
        Client = client;
        ServerCertificate = serverCert;
        ClientCertificate = clientCert;
    }

    public DtlsTransport Server { get; }
    public DtlsTransport Client { get; }
    public DtlsCertificate ServerCertificate { get; }
    public DtlsCertificate ClientCertificate { get; }
    public int ServerToClient;
    public int ClientToServer;

    public static DtlsPair Create(
        SrtpProfile[]? serverProfiles = null,
        SrtpProfile[]? clientProfiles = null,
        string? serverExpects = null,
        string? clientExpects = null,
        Wire? wire = null,
        DtlsTransportOptions? serverOptions = null,
        DtlsTransportOptions? clientOptions = null)
    {
        var serverCert = DtlsCertificate.Generate();
        var clientCert = DtlsCertificate.Generate();
        DtlsTransport? server = null, client = null;
        DtlsPair? pair = null;
        wire ??= (_, datagram, deliver) => deliver(datagram);
        server = new DtlsTransport(serverCert, DtlsRole.Server, "sha-256", serverExpects ?? clientCert.Sha256Fingerprint,
            d => { Interlocked.Increment(ref pair!.ServerToClient); wire(true, d, x => client!.Receive(x.Span)); },
            serverProfiles ?? [SrtpProfile.AeadAes128Gcm, SrtpProfile.Aes128CmHmacSha1_80],
            serverOptions ?? DtlsTransportOptions.Default);
        client = new DtlsTransport(clientCert, DtlsRole.Client, "sha-256", clientExpects ?? serverCert.Sha256Fingerprint,
            d => { Interlocked.Increment(ref pair!.ClientToServer); wire(false, d, x => server.Receive(x.Span)); },
            clientProfiles ?? [SrtpProfile.AeadAes128Gcm, SrtpProfile.Aes128CmHmacSha1_80],
            clientOptions ?? DtlsTransportOptions.Default);
        pair = new DtlsPair(server, client, serverCert, clientCert);
        return pair;
    }

    public void Start()
    {
        Server.Start();
        Client.Start();
    }

    public async Task<(DtlsSrtpKeys Server, DtlsSrtpKeys Client)> HandshakeAsync()
    {
        Start();
        var server = await Server.Completed.WaitAsync(Bound);
        var client = await Client.Completed.WaitAsync(Bound);
        return (server, client);
    }

    /// <summary>Awaits a handshake that must fail, within the bound, with our exception type.</summary>
    public static async Task<DtlsHandshakeException> FailureOf(Task<DtlsSrtpKeys> completed)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => completed.WaitAsync(Bound));
        return Assert.IsType<DtlsHandshakeException>(e);
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
