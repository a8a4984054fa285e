using Org.BouncyCastle.Tls;
using Sfu.WebRtc.Srtp;

namespace Sfu.WebRtc.Dtls;

/// <summary>
/// What the BouncyCastle callbacks learned, read by the handshake thread afterwards: BouncyCastle reports failures
/// as bare alerts, so the reason (fingerprint, profile) has to be noted before the alert is thrown.
/// </summary>
internal sealed class DtlsPeerState
{
    private volatile bool _closeNotifyReceived;

    public DtlsFailureReason? Failure { get; private set; }
    public string? FailureMessage { get; private set; }
    public short? FatalAlertReceived { get; private set; }
    public SrtpProfile? SelectedProfile { get; set; }
    public DtlsSrtpKeys? Keys { get; set; }
    public bool CloseNotifyReceived => _closeNotifyReceived;

    /// <summary>Notes the reason and returns the alert to throw, so BouncyCastle sends it to the peer.</summary>
    public TlsFatalAlert Fail(DtlsFailureReason reason, short alert, string message)
    {
        if (Failure is null)
        {
            Failure = reason;
            FailureMessage = message;
        }
        return new TlsFatalAlert(alert, message);
    }

    public void OnAlertReceived(short level, short description)
    {
        if (level == AlertLevel.fatal)
            FatalAlertReceived ??= description;
        else if (description == AlertDescription.close_notify)
            _closeNotifyReceived = true;
    }
}
