namespace Sfu.E2E.Tests.Robustness;

/// <summary>A test that reads the server's static drop counters, so it needs the server running in
/// this process (not SFU_E2E_URL); with <see cref="NeedsTcpdump"/> it also needs tcpdump to capture
/// the media port on loopback.</summary>
public sealed class InProcessServerFactAttribute : FactAttribute
{
    public const string Tcpdump = "/usr/bin/tcpdump";

    public InProcessServerFactAttribute()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SFU_E2E_URL")))
            Skip = "reads Sfu.WebRtc.Transport.DropCounters of the in-process server; SFU_E2E_URL points at another process";
    }

    private bool _needsTcpdump;

    public bool NeedsTcpdump
    {
        get => _needsTcpdump;
        set
        {
            _needsTcpdump = value;
            if (value && Skip is null && !File.Exists(Tcpdump))
                Skip = $"{Tcpdump} is missing: run scripts/test.sh (apt-get install tcpdump) to capture the media port";
        }
    }
}
