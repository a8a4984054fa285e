using Sfu.Actors.Signaling;
using Sfu.Web.Signaling;

namespace Sfu.Web.Security;

/// <summary>
/// The signaling gate with <c>security:</c> applied: with <c>require_auth</c> a join needs a valid token for its room
/// (in the join's <c>token</c> or the socket's <c>?token=</c>), whose permissions then bound what the client may send;
/// with <c>rate_limit.enabled</c> one address may hold at most <c>max_participants_per_ip</c> joined connections.
/// </summary>
public sealed class SecureSignalingGate(SecurityOptions options, RequestAuthenticator auth) : SignalingGate
{
    private readonly AddressCounter _participants = new(options.RateLimit.MaxParticipantsPerIp);

    public int ParticipantsFrom(string address) => _participants.CountOf(address);

    public override JoinAdmission Admit(JoinCommand join, SignalingClient client)
    {
        var admission = base.Admit(join, client);
        if (!admission.Admitted) return admission;
        if (options.RequireAuth)
        {
            if (!auth.TryAuthenticate(join.Token ?? client.QueryToken, out var token, out var failure))
                return JoinAdmission.Refuse(ErrorCodes.Unauthorized, failure);
            if (!token!.CoversRoom(join.RoomId))
                return JoinAdmission.Refuse(ErrorCodes.Unauthorized, $"the token is for room {token.Room}, not {join.RoomId}");
            var admin = token.Allows(Permissions.Admin);
            admission = new JoinAdmission(null, null,
                CanPublish: admin || token.Allows(Permissions.Publish),
                CanSubscribe: admin || token.Allows(Permissions.Subscribe),
                Name: string.IsNullOrWhiteSpace(token.Name) ? null : token.Name);
        }
        if (options.RateLimit.Enabled)
        {
            var address = ClientAddress.Of(client.RemoteAddress);
            if (!client.TryReserve(() => _participants.TryAcquire(address), () => _participants.Release(address)))
                return JoinAdmission.Refuse(ErrorCodes.RateLimited, $"at most {_participants.Max} participants per client address");
        }
        return admission;
    }
}
