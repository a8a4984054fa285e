using System.Net;
using Microsoft.AspNetCore.Http;

namespace Sfu.Web.Security;

/// <summary>The key per-address limits count by: the peer's IP (IPv4-mapped IPv6 folded to IPv4, so one client is one key).</summary>
public static class ClientAddress
{
    public static string Of(IPAddress? address) => address switch
    {
        null => "unknown",
        { IsIPv4MappedToIPv6: true } => address.MapToIPv4().ToString(),
        _ => address.ToString(),
    };

    public static string Of(HttpContext context) => Of(context.Connection.RemoteIpAddress);
}
