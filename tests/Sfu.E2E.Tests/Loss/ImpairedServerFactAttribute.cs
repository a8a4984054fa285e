namespace Sfu.E2E.Tests.Loss;

/// <summary>A test that injects loss through <see cref="Sfu.Streams.Recovery.PacketImpairment"/>, a static hook of the
/// server running in this process: skipped when SFU_E2E_URL points at a server in another process.</summary>
public sealed class ImpairedServerFactAttribute : FactAttribute
{
    public ImpairedServerFactAttribute()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SFU_E2E_URL")))
            Skip = "injects loss through the in-process server's PacketImpairment hook; SFU_E2E_URL points at another process";
    }
}
