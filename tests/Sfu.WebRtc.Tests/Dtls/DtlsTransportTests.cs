using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Srtp;

namespace Sfu.WebRtc.Tests.Dtls;

public class DtlsTransportTests
{
    private const short BadCertificate = 42;
    private const short HandshakeFailure = 40;

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80, 60)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 56)]
    public async Task Handshake_agrees_on_profile_and_keying_material(SrtpProfile profile, int keyingLength)
    {
        using var pair = DtlsPair.Create([profile], [profile]);

        var (server, client) = await pair.HandshakeAsync();

        Assert.Equal(profile, server.Profile);
        Assert.Equal(profile, client.Profile);
        Assert.Equal(keyingLength, server.KeyingMaterial.Length);
        Assert.Equal(server.KeyingMaterial, client.KeyingMaterial);
        Assert.True(server.IsServer);
        Assert.False(client.IsServer);
        Assert.Contains(server.KeyingMaterial, b => b != 0);
    }

    [Fact]
    public async Task Every_handshake_exports_fresh_keys()
    {
        using var first = DtlsPair.Create();
        using var second = DtlsPair.Create();

        var (a, _) = await first.HandshakeAsync();
        var (b, _) = await second.HandshakeAsync();

        Assert.NotEqual(a.KeyingMaterial, b.KeyingMaterial);
    }

    [Theory]
    // RFC 5764 §4.1.1: the server chooses, so its preference wins whatever order the client lists.
    [InlineData(new[] { SrtpProfile.AeadAes128Gcm, SrtpProfile.Aes128CmHmacSha1_80 },
        new[] { SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm }, SrtpProfile.AeadAes128Gcm)]
    [InlineData(new[] { SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm },
        new[] { SrtpProfile.AeadAes128Gcm, SrtpProfile.Aes128CmHmacSha1_80 }, SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData(new[] { SrtpProfile.AeadAes128Gcm, SrtpProfile.Aes128CmHmacSha1_80 },
        new[] { SrtpProfile.Aes128CmHmacSha1_80 }, SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData(new[] { SrtpProfile.AeadAes128Gcm },
        new[] { SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm }, SrtpProfile.AeadAes128Gcm)]
    public async Task Server_preference_decides_the_profile(SrtpProfile[] serverProfiles, SrtpProfile[] clientProfiles,
        SrtpProfile expected)
    {
        using var pair = DtlsPair.Create(serverProfiles, clientProfiles);

        var (server, client) = await pair.HandshakeAsync();

        Assert.Equal(expected, server.Profile);
        Assert.Equal(expected, client.Profile);
        Assert.Equal(server.KeyingMaterial, client.KeyingMaterial);
    }

    [Fact]
    public async Task No_common_profile_fails_both_sides()
    {
        using var pair = DtlsPair.Create([SrtpProfile.AeadAes128Gcm], [SrtpProfile.Aes128CmHmacSha1_80]);
        pair.Start();

        var server = await DtlsPair.FailureOf(pair.Server.Completed);
        var client = await DtlsPair.FailureOf(pair.Client.Completed);

        Assert.Equal(DtlsFailureReason.NoCommonSrtpProfile, server.Reason);
        Assert.Equal(DtlsFailureReason.AlertReceived, client.Reason);
        Assert.Equal(HandshakeFailure, client.AlertDescription);
    }

    [Fact]
    public async Task Client_rejects_a_server_certificate_that_does_not_match_its_fingerprint()
    {
        var impostor = DtlsCertificate.Generate();
        using var pair = DtlsPair.Create(clientExpects: impostor.Sha256Fingerprint);
        pair.Start();

        var client = await DtlsPair.FailureOf(pair.Client.Completed);
        var server = await DtlsPair.FailureOf(pair.Server.Completed);

        Assert.Equal(DtlsFailureReason.FingerprintMismatch, client.Reason);
        Assert.Equal(DtlsFailureReason.AlertReceived, server.Reason);
        Assert.Equal(BadCertificate, server.AlertDescription);
    }

    [Fact]
    public async Task Server_rejects_a_client_certificate_that_does_not_match_its_fingerprint()
    {
        var impostor = DtlsCertificate.Generate();
        using var pair = DtlsPair.Create(serverExpects: impostor.Sha256Fingerprint);
        pair.Start();

        var server = await DtlsPair.FailureOf(pair.Server.Completed);
        var client = await DtlsPair.FailureOf(pair.Client.Completed);

        Assert.Equal(DtlsFailureReason.FingerprintMismatch, server.Reason);
        Assert.Equal(DtlsFailureReason.AlertReceived, client.Reason);
        Assert.Equal(BadCertificate, client.AlertDescription);
    }

    [Fact]
    public async Task Random_garbage_before_and_during_the_handshake_is_ignored()
    {
        var random = new Random(5764);
        var gate = new object();
        byte[] Garbage()
        {
            lock (gate)
            {
                var bytes = new byte[random.Next(1, 1400)];
                random.NextBytes(bytes);
                return bytes;
            }
        }
        using var pair = DtlsPair.Create(wire: (_, datagram, deliver) =>
        {
            deliver(Garbage());
            deliver(datagram);
            deliver(Garbage());
        });
        for (var i = 0; i < 20; i++)
        {
            pair.Server.Receive(Garbage());
            pair.Client.Receive(Garbage());
        }

        var (server, client) = await pair.HandshakeAsync();

        Assert.Equal(server.KeyingMaterial, client.KeyingMaterial);
    }

    /// <summary>Random records with a valid DTLS 1.2 header: content type, version, epoch, sequence, length.</summary>
    private static Func<byte[]> RecordGenerator(int seed, byte[] contentTypes, int[] epochs)
    {
        var random = new Random(seed);
        var gate = new object();
        return () =>
        {
            lock (gate)
            {
                var body = new byte[random.Next(1, 300)];
                random.NextBytes(body);
                var record = new byte[13 + body.Length];
                record[0] = contentTypes[random.Next(contentTypes.Length)];
                record[1] = 0xFE;
                record[2] = 0xFD;
                record[4] = (byte)epochs[random.Next(epochs.Length)];
                random.NextBytes(record.AsSpan(5, 6));
                record[11] = (byte)(body.Length >> 8);
                record[12] = (byte)body.Length;
                body.CopyTo(record, 13);
                return record;
            }
        };
    }

    [Fact]
    public async Task Forged_records_that_cannot_authenticate_are_discarded()
    {
        // Epoch 1 records fail their AEAD/MAC check; epoch 0 alerts, change_cipher_spec and application data
        // are not handshake messages. RFC 6347 §4.1.2.7: all are silently discarded.
        var forged1 = RecordGenerator(6347, [20, 21, 22, 23], [1]);
        var forged0 = RecordGenerator(4347, [23], [0]);
        using var pair = DtlsPair.Create(wire: (_, datagram, deliver) =>
        {
            deliver(forged1());
            deliver(forged0());
            deliver(datagram);
            deliver(forged1());
        });

        var (server, client) = await pair.HandshakeAsync();

        Assert.Equal(server.KeyingMaterial, client.KeyingMaterial);
    }

    [Fact]
    public async Task Forged_epoch0_handshake_records_end_in_success_or_a_clean_failure()
    {
        // Epoch 0 is unauthenticated: a forged fragment can claim a message_seq before the real one arrives and
        // stall reassembly. The guarantee is only that the handshake ends (at worst by its timeout) without a crash.
        var options = DtlsTransportOptions.Default with { HandshakeTimeout = TimeSpan.FromSeconds(2) };
        for (var run = 0; run < 3; run++)
        {
            var forged = RecordGenerator(run, [21, 22], [0]);
            using var pair = DtlsPair.Create(serverOptions: options, clientOptions: options, wire: (_, datagram, deliver) =>
            {
                deliver(forged());
                deliver(datagram);
            });
            pair.Start();

            var both = Task.WhenAll(pair.Server.Completed, pair.Client.Completed);
            await Task.WhenAny(both, Task.Delay(DtlsPair.Bound));

            Assert.True(both.IsCompleted, "the handshake neither finished nor timed out");
            foreach (var task in new[] { pair.Server.Completed, pair.Client.Completed })
                if (task.IsFaulted)
                    Assert.IsType<DtlsHandshakeException>(task.Exception!.InnerException);
        }
    }

    [Fact]
    public async Task Lost_flights_are_retransmitted()
    {
        var dropped = new HashSet<(bool, int)>();
        var counts = new int[2];
        var options = DtlsTransportOptions.Default with { InitialRetransmitTimeout = TimeSpan.FromMilliseconds(100) };
        // Drop the first datagram each way (ClientHello, then the server's first flight) and the client's second one.
        using var pair = DtlsPair.Create(serverOptions: options, clientOptions: options, wire: (fromServer, datagram, deliver) =>
        {
            var n = Interlocked.Increment(ref counts[fromServer ? 0 : 1]);
            if (n == 1 || (!fromServer && n == 2))
                return;
            deliver(datagram);
        });

        var (server, client) = await pair.HandshakeAsync();

        Assert.Equal(server.KeyingMaterial, client.KeyingMaterial);
    }

    [Fact]
    public async Task HelloVerifyRequest_cookie_exchange_completes()
    {
        var options = DtlsTransportOptions.Default with { UseHelloVerifyRequest = true };
        using var pair = DtlsPair.Create(serverOptions: options);

        var (server, client) = await pair.HandshakeAsync();

        Assert.Equal(server.KeyingMaterial, client.KeyingMaterial);
        // ClientHello, ClientHello with the cookie, then the client's second flight.
        Assert.True(pair.ClientToServer >= 3);
    }

    [Fact]
    public async Task Handshake_times_out_when_the_peer_is_silent()
    {
        var options = DtlsTransportOptions.Default with { HandshakeTimeout = TimeSpan.FromMilliseconds(500) };
        using var server = new DtlsTransport(DtlsCertificate.Generate(), DtlsRole.Server, "sha-256",
            DtlsCertificate.Generate().Sha256Fingerprint, _ => { }, [SrtpProfile.Aes128CmHmacSha1_80], options);
        server.Start();

        var e = await DtlsPair.FailureOf(server.Completed);

        Assert.Equal(DtlsFailureReason.Timeout, e.Reason);
    }

    [Fact]
    public async Task Dispose_fails_a_pending_handshake()
    {
        var server = new DtlsTransport(DtlsCertificate.Generate(), DtlsRole.Server, "sha-256",
            DtlsCertificate.Generate().Sha256Fingerprint, _ => { }, [SrtpProfile.Aes128CmHmacSha1_80]);
        server.Start();

        server.Dispose();

        var e = await DtlsPair.FailureOf(server.Completed);
        Assert.Equal(DtlsFailureReason.Disposed, e.Reason);
    }

    [Fact]
    public async Task Disposing_one_side_after_the_handshake_raises_Closed_on_the_other()
    {
        using var pair = DtlsPair.Create();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pair.Server.Closed += () => closed.TrySetResult();
        await pair.HandshakeAsync();

        pair.Client.Dispose();

        await closed.Task.WaitAsync(DtlsPair.Bound);
    }

    [Fact]
    public void A_full_queue_drops_and_counts()
    {
        var options = DtlsTransportOptions.Default with { ReceiveQueueCapacity = 4 };
        using var server = new DtlsTransport(DtlsCertificate.Generate(), DtlsRole.Server, "sha-256",
            DtlsCertificate.Generate().Sha256Fingerprint, _ => { }, [SrtpProfile.Aes128CmHmacSha1_80], options);

        // A plausible epoch-0 handshake record, so only the queue bound can drop it.
        byte[] record = [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
        for (var i = 0; i < 10; i++)
            server.Receive(record);
        server.Receive(new byte[options.MaxReceiveDatagramSize + 1]);
        server.Receive([]);
        server.Receive([23, 0xFE, 0xFD]);

        Assert.Equal(9, server.DroppedDatagrams);
    }

    [Fact]
    public async Task Datagrams_after_the_linger_period_are_dropped_and_counted()
    {
        var options = DtlsTransportOptions.Default with { LingerAfterHandshake = TimeSpan.Zero };
        using var pair = DtlsPair.Create(serverOptions: options, clientOptions: options);
        await pair.HandshakeAsync();
        var exited = SpinWait.SpinUntil(() => { pair.Server.Receive([23]); return pair.Server.DroppedDatagrams > 0; },
            DtlsPair.Bound);

        Assert.True(exited);
    }

    [Fact]
    public void Constructor_rejects_bad_arguments()
    {
        var cert = DtlsCertificate.Generate();
        var fp = cert.Sha256Fingerprint;
        Assert.Throws<ArgumentException>(() => new DtlsTransport(cert, DtlsRole.Server, "md5", fp, _ => { },
            [SrtpProfile.Aes128CmHmacSha1_80]));
        Assert.Throws<ArgumentException>(() => new DtlsTransport(cert, DtlsRole.Server, "sha-256", "AB:CD", _ => { },
            [SrtpProfile.Aes128CmHmacSha1_80]));
        Assert.Throws<ArgumentException>(() => new DtlsTransport(cert, DtlsRole.Server, "sha-256", fp, _ => { }, []));
        Assert.ThrowsAny<ArgumentException>(() => new DtlsTransport(cert, DtlsRole.Server, "sha-256", fp, _ => { },
            [(SrtpProfile)0x0002]));
    }

    [Fact]
    public void Start_twice_throws()
    {
        using var t = new DtlsTransport(DtlsCertificate.Generate(), DtlsRole.Client, "sha-256",
            DtlsCertificate.Generate().Sha256Fingerprint, _ => { }, [SrtpProfile.Aes128CmHmacSha1_80]);
        t.Start();
        Assert.Throws<InvalidOperationException>(t.Start);
    }
}
