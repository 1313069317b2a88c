using OrderHub.Settings;

namespace OrderHub.Application.Media;

/// <summary>Settings <c>Media</c>: where uploaded images live, how large they may be, and the address they are served from.</summary>
public sealed class MediaOptions : IValidatedSettings
{
    /// <summary>Folder for the files. Empty: a <c>media</c> folder beside the SQLite database (or <c>data/media</c> with PostgreSQL).</summary>
    public string Folder { get; set; } = "";
    /// <summary>The largest image accepted, in bytes.</summary>
    public long MaxUploadBytes { get; set; } = 5 * 1024 * 1024;
    /// <summary>The longest side of a thumbnail, in pixels.</summary>
    public int ThumbnailPixels { get; set; } = 320;
    /// <summary>The largest picture accepted, in megapixels (a small file can unpack to a huge bitmap).</summary>
    public int MaxMegapixels { get; set; } = 50;
    /// <summary>The public base URL images are served from (a CDN in front of <c>/media/</c>). Empty: the address the request came to.</summary>
    public string PublicBaseUrl { get; set; } = "";

    public IEnumerable<string> Validate()
    {
        if (MaxUploadBytes < 1024) yield return "MaxUploadBytes must be at least 1024";
        if (MaxUploadBytes > 100 * 1024 * 1024) yield return "MaxUploadBytes must be at most 104857600 (100 MB)";
        if (ThumbnailPixels is < 32 or > 2048) yield return "ThumbnailPixels must be between 32 and 2048";
        if (MaxMegapixels is < 1 or > 400) yield return "MaxMegapixels must be between 1 and 400";
        if (PublicBaseUrl.Length > 0 && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttps && u.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(u.Query) || !string.IsNullOrEmpty(u.Fragment)))
            yield return "PublicBaseUrl must be empty or an absolute http(s) URL without query, e.g. https://img.example.com";
    }
}

/// <summary>The address of the current request ("https://host"), for image URLs when <c>Media:PublicBaseUrl</c> is empty. The API provides it.</summary>
public interface IRequestBaseUrl
{
    string? Current { get; }
}
