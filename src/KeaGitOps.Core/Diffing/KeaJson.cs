using System.Text;
using System.Text.Json;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Sources;

namespace KeaGitOps.Core.Diffing;

/// <summary>
/// Reads a Kea configuration file the way Kea does: JSON with <c>#</c>, <c>//</c> and <c>/* */</c>
/// comments, trailing commas before <c>]</c> or <c>}</c>, and <c>&lt;?include "path"?&gt;</c>
/// directives. Bad input is reported as a <see cref="KeaJsonError"/> at its file:line:col, never thrown.
/// Escapes are taken as System.Text.Json takes them: Kea refuses <c>\u</c> escapes above 00FF,
/// this reader does not.
/// </summary>
public static class KeaJson
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        // Comments are already blanked out; anything the parser still sees as one is an error.
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Reads and parses the file at <paramref name="path"/>; includes are read from disk.</summary>
    public static KeaJsonResult Load(string path) => Load(FileSystemPaths.LocalRoot(), path);

    /// <summary>Reads and parses the file at absolute <paramref name="path"/> of <paramref name="root"/> (a source rooted at <c>/</c>), its includes from the same source.</summary>
    public static KeaJsonResult Load(IFileSource root, string path)
    {
        string? text;
        try
        {
            text = Decode(root.ReadAt(path));
        }
        catch (IOException e)
        {
            return KeaJsonResult.Failure(new KeaJsonError(SourceLocation.StartOf(root.DisplayAt(path)), $"cannot read {root.DisplayAt(path)}: {e.Message}"));
        }

        return text is null
            ? KeaJsonResult.Failure(new KeaJsonError(SourceLocation.StartOf(root.DisplayAt(path)), $"cannot read {root.DisplayAt(path)}"))
            : Parse(text, path, root);
    }

    /// <summary>Parses <paramref name="text"/>, read from absolute <paramref name="path"/> of <paramref name="root"/> (a source rooted at <c>/</c>), which also gives its includes.</summary>
    public static KeaJsonResult Parse(string text, string path, IFileSource root) =>
        Parse(text, path, include =>
        {
            try
            {
                return Decode(root.ReadAt(include));
            }
            catch (IOException)
            {
                return null;
            }
        }, root.DisplayAt);

    /// <summary>
    /// Parses <paramref name="text"/>, which was read from <paramref name="path"/> (the name errors
    /// carry, and the folder that relative include paths start from). <paramref name="readInclude"/>
    /// gives the text of an included file, or null when it cannot be read; by default it reads the disk.
    /// </summary>
    public static KeaJsonResult Parse(string text, string path, Func<string, string?>? readInclude = null, Func<string, string>? display = null)
    {
        var (source, error) = KeaJsonSource.Expand(text, path, readInclude ?? ReadFile, display);
        if (source is null)
        {
            return KeaJsonResult.Failure(error!);
        }

        try
        {
            return KeaJsonResult.Success(JsonDocument.Parse(source.Text, Options));
        }
        catch (JsonException exception)
        {
            var offset = OffsetOf(source.Text, exception.LineNumber ?? 0, exception.BytePositionInLine ?? 0);
            return KeaJsonResult.Failure(new KeaJsonError(source.Locate(offset), DescribeJsonError(exception)));
        }
    }

    /// <summary>The text of a file on disk, or null when it cannot be read.</summary>
    private static string? ReadFile(string path)
    {
        try
        {
            return Decode(FileSystemPaths.LocalRoot().ReadAt(path));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>UTF-8 text; a byte-order mark is dropped, as File.ReadAllText did.</summary>
    private static string? Decode(byte[]? bytes) =>
        bytes is null ? null : bytes.AsSpan().StartsWith("\uFEFF"u8) ? Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3) : Encoding.UTF8.GetString(bytes);

    /// <summary>The character offset in <paramref name="text"/> of System.Text.Json's (0-based line, UTF-8 byte in line).</summary>
    private static int OffsetOf(string text, long line, long byteInLine)
    {
        var offset = 0;
        for (var l = 0L; l < line; l++)
        {
            var newline = text.IndexOf('\n', offset);
            if (newline < 0)
            {
                return text.Length;
            }

            offset = newline + 1;
        }

        for (var bytes = 0L; bytes < byteInLine && offset < text.Length && text[offset] != '\n'; offset++)
        {
            var c = text[offset];
            if (char.IsHighSurrogate(c) && offset + 1 < text.Length && char.IsLowSurrogate(text[offset + 1]))
            {
                bytes += 4;
                offset++;
            }
            else
            {
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }

        return offset;
    }

    /// <summary>System.Text.Json's message without its own position, which counts in the expanded text.</summary>
    private static string DescribeJsonError(JsonException exception)
    {
        var message = exception.Message;
        var position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (position < 0 ? message : message[..position]).Trim();
    }
}
