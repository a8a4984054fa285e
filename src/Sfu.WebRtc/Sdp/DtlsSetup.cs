namespace Sfu.WebRtc.Sdp;

/// <summary>
/// <c>a=setup</c> (RFC 4145 §4, used for DTLS by RFC 8842 §5): who opens the DTLS association.
/// JSEP offers are always actpass; the answerer picks active or passive.
/// </summary>
public enum DtlsSetup
{
    ActPass,
    Active,
    Passive,
    HoldConn,
}

public static class DtlsSetupExtensions
{
    public static string ToSdp(this DtlsSetup setup) => setup switch
    {
        DtlsSetup.Active => "active",
        DtlsSetup.Passive => "passive",
        DtlsSetup.HoldConn => "holdconn",
        _ => "actpass",
    };

    public static bool TryParse(string value, out DtlsSetup setup)
    {
        switch (value)
        {
            case "actpass": setup = DtlsSetup.ActPass; return true;
            case "active": setup = DtlsSetup.Active; return true;
            case "passive": setup = DtlsSetup.Passive; return true;
            case "holdconn": setup = DtlsSetup.HoldConn; return true;
            default: setup = default; return false;
        }
    }
}
