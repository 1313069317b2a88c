using System.IO.Compression;
using OrderHub.Application.WeChat;
using OrderHub.WeChat;

namespace OrderHub.Application.ChatCommerce;

/// <summary>
/// The cover picture of mini-program cards (pic_media_id): WeCom:Chat:CardCoverPath, or a plain 520×416 PNG (WeChat Work's
/// suggested size) in OrderHub's colour; uploaded as temporary media and uploaded again before its 3 days run out.
/// </summary>
public sealed class CardCover(WeComSettings weCom, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private UploadedMedia? _current;

    public async Task<string> MediaIdAsync(WeComExternalContactClient client, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } m && m.ExpiresAt - clock.GetUtcNow() > TimeSpan.FromHours(6)) return m.MediaId;
            var path = weCom.Chat.CardCoverPath;
            var (bytes, name, type) = string.IsNullOrWhiteSpace(path)
                ? (PlainPng(520, 416, 0x07, 0xC1, 0x60), "cover.png", "image/png")
                : (await File.ReadAllBytesAsync(path, ct), Path.GetFileName(path), path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? "image/png" : "image/jpeg");
            _current = await client.UploadImageAsync(bytes, name, type, ct);
            return _current.MediaId;
        }
        finally { _gate.Release(); }
    }

    /// <summary>A one-colour RGB PNG.</summary>
    public static byte[] PlainPng(int width, int height, byte r, byte g, byte b)
    {
        var raw = new byte[(width * 3 + 1) * height];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var i = y * (width * 3 + 1) + 1 + x * 3;
            (raw[i], raw[i + 1], raw[i + 2]) = (r, g, b);
        }
        using var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true)) zs.Write(raw);
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", z.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var head = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        s.Write(head);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(typed);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(head, Crc32(typed));
        s.Write(head);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var d in data)
        {
            crc ^= d;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
