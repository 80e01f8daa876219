using SkiaSharp;

namespace ProtoCL.Data;

/// <summary>
/// One decoded image, already at the dataset's size, planar: H*W bytes when grayscale (every pixel R == G == B),
/// else 3*H*W bytes (all red, then green, then blue). Exactly one of <see cref="Pixels"/> and <see cref="Error"/> is set.
/// </summary>
internal sealed record DecodeResult(byte[]? Pixels, bool Gray, int Width, int Height, string? Error)
{
    public static DecodeResult Bad(string error) => new(null, false, 0, 0, error);
}

/// <summary>
/// Decodes one image file with SkiaSharp, refusing it (as a reason string, never an exception) when it is empty,
/// unreadable, not an image, larger than the pixel cap according to its header, or truncated/corrupt.
/// Alpha is dropped without compositing and, unless asked for, EXIF orientation is not applied, as PIL's convert("RGB")
/// does, so pixels match what the Python reference implementations see.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>No image format needs more than 8 bytes per pixel (16-bit RGBA), so a larger file cannot be within the cap.</summary>
    private const long MaxBytesPerPixel = 8;

    /// <summary>Room for metadata chunks (ICC profiles, EXIF, text) beyond the pixels.</summary>
    private const long MetadataAllowance = 16L << 20;

    /// <summary>
    /// Decodes <paramref name="path"/>, brought to <paramref name="target"/> (width, height) when given and different: the
    /// centred region with the target's aspect ratio (<see cref="CentredRegion"/>), resized to it. With
    /// <paramref name="orient"/>, the image is first turned upright by its EXIF orientation (as PIL's ImageOps.exif_transpose).
    /// </summary>
    public static DecodeResult Decode(string path, (int Width, int Height)? target, long maxPixels, bool orient = false)
    {
        long maxBytes = maxPixels > (Array.MaxLength - MetadataAllowance) / MaxBytesPerPixel
            ? Array.MaxLength
            : maxPixels * MaxBytesPerPixel + MetadataAllowance;
        var bytes = ReadFile(path, maxBytes, out var error);
        if (bytes is null)
            return DecodeResult.Bad(error!);

        using var stream = new SKMemoryStream(bytes);
        using var codec = SKCodec.Create(stream, out var opened);
        if (codec is null)
            return DecodeResult.Bad(opened == SKCodecResult.IncompleteInput
                ? "truncated image header"
                : "not an image SkiaSharp can decode (PNG, JPEG, BMP, GIF, WebP), or its header is damaged");

        // The header alone says how big the decode would be: refuse before allocating anything that size.
        var (w, h) = (codec.Info.Width, codec.Info.Height);
        if (w <= 0 || h <= 0)
            return DecodeResult.Bad($"the header declares {w}x{h} pixels");
        if ((long)w * h > maxPixels)
            return DecodeResult.Bad($"the header declares {w}x{h} = {(long)w * h} pixels, above the cap of {maxPixels} pixels per image");

        var origin = orient ? codec.EncodedOrigin : SKEncodedOrigin.TopLeft;
        bool swaps = SwapsSides(origin);
        var (tw, th) = target ?? (swaps ? (h, w) : (w, h));
        // Shrinking a lot: let the codec decode at a reduced scale (JPEG's 1/2, 1/4, 1/8 through its DCT) while the
        // region kept still covers the target, so a folder of photos is not decoded at full size only to be shrunk.
        // The stored image is sideways when its orientation swaps the sides: the target is then compared side for side.
        var (dw, dh) = (w, h);
        if (target is not null)
        {
            var (sw, sh) = swaps ? (th, tw) : (tw, th);
            var (cw, ch) = CentredRegion(w, h, sw, sh);
            for (float scale = 0.125f; scale < 1f; scale *= 2)
            {
                var scaled = codec.GetScaledDimensions(scale);
                if (scaled.Width >= w || scaled.Height >= h) continue;
                if ((long)cw * scaled.Width / w >= sw && (long)ch * scaled.Height / h >= sh)
                {
                    (dw, dh) = (scaled.Width, scaled.Height);
                    break;
                }
            }
        }

        var info = new SKImageInfo(dw, dh, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var stored = new SKBitmap();
        if (!stored.TryAllocPixels(info))
            return DecodeResult.Bad($"not enough memory to decode {dw}x{dh} pixels");
        var result = codec.GetPixels(info, stored.GetPixels());
        if (result != SKCodecResult.Success)
            return DecodeResult.Bad(result == SKCodecResult.IncompleteInput
                ? "truncated image data"
                : $"corrupt image data (SkiaSharp: {result})");
        using var upright = origin == SKEncodedOrigin.TopLeft ? null : Upright(stored, origin);
        var decoded = upright ?? stored;
        (dw, dh) = (decoded.Width, decoded.Height);

        if ((tw, th) == (dw, dh))
            return ToPlanar(decoded);
        // An image of another shape keeps its centre: the largest centred region with the target's aspect ratio,
        // resized (torchvision's Resize then CenterCrop, up to where the rounding falls); never stretched.
        var (rw, rh) = CentredRegion(dw, dh, tw, th);
        using var region = new SKBitmap();
        if (!decoded.ExtractSubset(region, SKRectI.Create((dw - rw) / 2, (dh - rh) / 2, rw, rh)))
            return DecodeResult.Bad($"could not take the centred {rw}x{rh} region of {dw}x{dh}");
        if ((rw, rh) == (tw, th))
            return ToPlanar(region);
        using var resized = region.Resize(new SKImageInfo(tw, th, SKColorType.Rgba8888, SKAlphaType.Unpremul), Sampling(rw, rh, tw, th));
        return resized is null ? DecodeResult.Bad($"could not resize {rw}x{rh} to {tw}x{th}") : ToPlanar(resized);
    }

    /// <summary>
    /// Width and height of the largest region of a <paramref name="w"/> x <paramref name="h"/> image with the aspect ratio
    /// of <paramref name="tw"/> x <paramref name="th"/>: the whole image when the ratios agree, else full height (a wider
    /// image) or full width (a taller one), the other side rounded to the nearest pixel.
    /// </summary>
    internal static (int Width, int Height) CentredRegion(int w, int h, int tw, int th)
    {
        long wide = (long)w * th, tall = (long)h * tw;
        if (wide == tall) return (w, h);
        return wide > tall
            ? ((int)Math.Max(1, Math.Min(w, (2L * h * tw + th) / (2L * th))), h)
            : (w, (int)Math.Max(1, Math.Min(h, (2L * w * th + tw) / (2L * tw))));
    }

    /// <summary>Whether turning an image stored with <paramref name="origin"/> upright exchanges its width and height.</summary>
    private static bool SwapsSides(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>
    /// <paramref name="stored"/> turned upright by the EXIF orientation <paramref name="origin"/> (the corner where the
    /// stored image's first row and column belong), pixel for pixel: the mirror, rotation or transposition that PIL's
    /// ImageOps.exif_transpose applies for tags 2-8.
    /// </summary>
    internal static SKBitmap Upright(SKBitmap stored, SKEncodedOrigin origin)
    {
        int w = stored.Width, h = stored.Height;
        bool swaps = SwapsSides(origin);
        int ow = swaps ? h : w, oh = swaps ? w : h;
        var result = new SKBitmap(new SKImageInfo(ow, oh, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var from = stored.GetPixelSpan();
        var to = result.GetPixelSpan();
        int fromStride = stored.RowBytes, toStride = result.RowBytes;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (nx, ny) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),             // 2: mirrored left-right
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),  // 3: turned 180 degrees
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),           // 4: mirrored top-bottom
                    SKEncodedOrigin.LeftTop => (y, x),                      // 5: transposed
                    SKEncodedOrigin.RightTop => (h - 1 - y, x),             // 6: turned 90 degrees clockwise
                    SKEncodedOrigin.RightBottom => (h - 1 - y, w - 1 - x),  // 7: transversed
                    SKEncodedOrigin.LeftBottom => (y, w - 1 - x),           // 8: turned 90 degrees anticlockwise
                    _ => (x, y),
                };
                from.Slice(y * fromStride + 4 * x, 4).CopyTo(to.Slice(ny * toStride + 4 * nx, 4));
            }
        return result;
    }

    /// <summary>Shrinking averages through mipmaps (no aliasing); enlarging uses Mitchell's cubic (no ringing-heavy sharpening).</summary>
    private static SKSamplingOptions Sampling(int w, int h, int tw, int th) =>
        tw < w || th < h
            ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKCubicResampler.Mitchell);

    /// <summary>The file's bytes, or null with a reason; files larger than <paramref name="maxBytes"/> are refused unread.</summary>
    private static byte[]? ReadFile(string path, long maxBytes, out string? error)
    {
        error = null;
        try
        {
            using var stream = DataFiles.OpenRead(path);
            long length = stream.Length;
            if (length == 0)
                error = "the file is empty (0 bytes)";
            else if (length > maxBytes)
                error = $"the file is {length} bytes, too large for an image within the pixel cap";
            else
            {
                var bytes = new byte[length];
                stream.ReadExactly(bytes);
                return bytes;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            error = "the file is missing (a broken link, or deleted while loading)";
        }
        catch (UnauthorizedAccessException)
        {
            error = "cannot read the file: permission denied";
        }
        catch (IOException e)
        {
            error = $"cannot read the file ({e.Message})";
        }
        return null;
    }

    /// <summary>RGBA (alpha ignored) to planar gray when every pixel has R == G == B, else planar RGB.</summary>
    private static DecodeResult ToPlanar(SKBitmap bitmap)
    {
        int w = bitmap.Width, h = bitmap.Height, n = w * h, stride = bitmap.RowBytes;
        var rgba = bitmap.GetPixelSpan(); // [H, stride]: W pixels of 4 bytes per row, then any padding
        bool gray = true;
        for (int y = 0; y < h && gray; y++)
            for (int x = 0, p = y * stride; x < w && gray; x++, p += 4)
                gray = rgba[p] == rgba[p + 1] && rgba[p] == rgba[p + 2];
        var planar = new byte[gray ? n : 3 * n];
        for (int y = 0; y < h; y++)
            for (int x = 0, p = y * stride, i = y * w; x < w; x++, p += 4, i++)
            {
                planar[i] = rgba[p];
                if (!gray)
                {
                    planar[n + i] = rgba[p + 1];
                    planar[2 * n + i] = rgba[p + 2];
                }
            }
        return new DecodeResult(planar, gray, w, h, null);
    }
}
