using Sfu.Actors.Signaling;

namespace Sfu.Web.Signaling;

/// <summary>
/// The gate's answer to a join: refused (an error code and reason the client is sent before it is disconnected),
/// or admitted with the rights the client's token grants.
/// </summary>
public sealed record JoinAdmission(string? ErrorCode, string? Reason, bool CanPublish, bool CanSubscribe, string? Name = null)
{
    public static readonly JoinAdmission Everything = new(null, null, CanPublish: true, CanSubscribe: true);

    public bool Admitted => ErrorCode is null;

    public static JoinAdmission Refuse(string code, string reason) => new(code, reason, false, false);

    /// <summary>Null when a joined client may send <paramref name="message"/>, else why not (sent as a forbidden error).</summary>
    public string? Refuses(ClientMessage message) => message switch
    {
        ClientOffer { Target: Targets.Publisher } when !CanPublish => "this token does not allow publishing",
        // Without the client's answer the subscriber connection never forms, so no media reaches it.
        ClientAnswer { Target: Targets.Subscriber } when !CanSubscribe => "this token does not allow subscribing",
        _ => null,
    };
}
