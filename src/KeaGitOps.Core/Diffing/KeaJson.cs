using System.Text.Json;
using KeaGitOps.Core.Diagnostics;

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
    public static KeaJsonResult Load(string path)
    {
        var text = ReadFile(path);
        return text is null
            ? KeaJsonResult.Failure(new KeaJsonError(SourceLocation.StartOf(path), $"cannot read {path}"))
            : Parse(text, path);
    }

    /// <summary>
    /// Parses <paramref name="text"/>, which was read from <paramref name="path"/> (the name errors
    /// carry, and the folder that relative include paths start from). <paramref name="readInclude"/>
    /// gives the text of an included file, or null when it cannot be read; by default it reads the disk.
    /// </summary>
    public static KeaJsonResult Parse(string text, string path, Func<string, string?>? readInclude = null)
    {
        var (source, error) = KeaJsonSource.Expand(text, path, readInclude ?? ReadFile);
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
    public static string? ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

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
