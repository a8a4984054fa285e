using System.Text;
using System.Text.Json.Serialization;

namespace Sfu.Service.Configuration;

/// <summary><c>recording:</c> whether tracks are written to disk or S3, and where.</summary>
public sealed record RecordingConfig(bool Enabled, string Path, RecordingFormat Format, RecordingStorage Storage, S3Config S3)
{
    public static readonly RecordingConfig Default =
        new(false, "./recordings", RecordingFormat.WebM, RecordingStorage.Local, S3Config.Default);
}

public enum RecordingFormat
{
    /// <summary>WebM (Matroska subset): VP8/VP9/AV1 + Opus, playable in browsers.</summary>
    WebM,

    /// <summary>Full Matroska: also holds H.264.</summary>
    Mkv,
}

public enum RecordingStorage
{
    Local,
    S3,
}

/// <summary><c>recording.s3:</c> bucket for <c>storage: s3</c>; an empty endpoint means AWS itself.</summary>
public sealed record S3Config(string Bucket, string Region, string Endpoint, string AccessKey, [property: JsonIgnore] string SecretKey, string Prefix)
{
    public static readonly S3Config Default = new("", "us-east-1", "", "", "", "");

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Bucket = {Bucket}, Region = {Region}, Endpoint = {Endpoint}, AccessKey = {AccessKey}, ");
        builder.Append($"SecretKey = {(SecretKey.Length == 0 ? "" : "***")}, Prefix = {Prefix}");
        return true;
    }
}
