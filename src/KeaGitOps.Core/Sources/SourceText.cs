using System.Buffers;
using System.Text;
using System.Text.Unicode;
using KeaGitOps.Core.Diagnostics;

namespace KeaGitOps.Core.Sources;

/// <summary>
/// Every text file keagitops reads is UTF-8. Decoding is strict: a decoder that replaces a bad byte
/// with U+FFFD would carry the replacement into the rendered config without a word (a Windows-1252
/// 'ü' in a comment did), so the first bad byte is a finding at its line and column instead.
/// </summary>
public static class SourceText
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The text of a file, or null when it is not UTF-8 text (a finding at the first bad byte says why).</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, string displayPath, DiagnosticBag diagnostics)
    {
        if (bytes.StartsWith(Utf8Bom))
        {
            bytes = bytes[Utf8Bom.Length..];
        }
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            diagnostics.Add(DiagnosticCatalogue.FileNotUtf8(SourceLocation.StartOf(displayPath), "starts with a UTF-16 byte order mark"));
            return null;
        }

        // YamlDotNet reads a NUL as the end of the input: the rest of the file would be dropped unseen.
        var nul = bytes.IndexOf((byte)0);
        var invalid = Utf8.IsValid(bytes) ? -1 : FirstInvalid(bytes);
        if (nul < 0 && invalid < 0)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var at = nul >= 0 && (invalid < 0 || nul < invalid) ? nul : invalid;
        var problem = at == nul
            ? "holds a NUL byte (is it UTF-16, or not text at all?)"
            : $"holds the byte 0x{bytes[at]:X2}, which is not UTF-8 (was it saved as Windows-1252 or Latin-1?)";
        diagnostics.Add(DiagnosticCatalogue.FileNotUtf8(LocationOf(bytes, at, displayPath), problem));
        return null;
    }

    private static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }

    /// <summary>Line and column of a byte offset, the column counted in characters as the YAML reader counts them.</summary>
    private static SourceLocation LocationOf(ReadOnlySpan<byte> bytes, int offset, string displayPath)
    {
        var before = bytes[..offset];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return new SourceLocation(displayPath, line, Encoding.UTF8.GetCharCount(before[lineStart..]) + 1);
    }
}
