using Org.BouncyCastle.Tls;
using Sfu.WebRtc.Srtp;

namespace Sfu.WebRtc.Dtls;

/// <summary>use_srtp (RFC 5764 §4.1) and the exporter (§4.2), shared by both roles.</summary>
internal static class SrtpProfileNegotiation
{
    /// <summary>Master key and salt lengths: RFC 3711 §8.2 (AES-CM: 16 + 14), RFC 7714 §12 (AEAD_AES_128_GCM: 16 + 12).</summary>
    public static int KeyingMaterialLength(SrtpProfile profile) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 => 2 * (16 + 14),
        SrtpProfile.AeadAes128Gcm => 2 * (16 + 12),
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP profile."),
    };

    public static int[] ToWire(IReadOnlyList<SrtpProfile> profiles)
    {
        var wire = new int[profiles.Count];
        for (var i = 0; i < wire.Length; i++)
            wire[i] = (int)profiles[i];
        return wire;
    }

    /// <summary>RFC 5764 §4.1.1: the server picks; we take our most preferred profile that the client offered.</summary>
    public static bool TrySelect(IReadOnlyList<SrtpProfile> ours, int[] offered, out SrtpProfile selected)
    {
        foreach (var profile in ours)
        {
            if (Array.IndexOf(offered, (int)profile) >= 0)
            {
                selected = profile;
                return true;
            }
        }
        selected = default;
        return false;
    }

    public static UseSrtpData UseSrtp(int[] profiles) => new(profiles, TlsUtilities.EmptyBytes);

    public static DtlsSrtpKeys Export(TlsContext context, SrtpProfile profile, bool isServer) =>
        new(profile, context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, KeyingMaterialLength(profile)), isServer);

    public static void Validate(IReadOnlyList<SrtpProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        if (profiles.Count == 0)
            throw new ArgumentException("At least one SRTP profile is required.", nameof(profiles));
        foreach (var profile in profiles)
            KeyingMaterialLength(profile);
    }
}
