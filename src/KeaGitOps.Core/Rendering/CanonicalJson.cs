using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace KeaGitOps.Core.Rendering;

/// <summary>
/// JSON as Kea reads it, written one way only: 2-space indent, keys in template order, a trailing
/// newline, and non-ASCII as raw UTF-8. Kea's parser takes \u escapes only up to \u00FF (and reads
/// those as single bytes), so System.Text.Json's default escaping of "é" or "中" would corrupt or break
/// the config; only quote, backslash and control characters are escaped here.
/// </summary>
public static class CanonicalJson
{
    /// <summary>A string as a complete JSON literal, quotes included: the only way inventory text enters a template.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        AppendQuoted(builder, value);
        return builder.ToString();
    }

    /// <summary>Parses template output strictly (no comments, no trailing commas, no duplicate keys).</summary>
    public static JsonDocument Parse(string text) =>
        JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, AllowDuplicateProperties = false, MaxDepth = 64 });

    public static string Write(JsonElement root) => Encoding.UTF8.GetString(Write(root, ProvenanceEdit.None, null).WrittenSpan);

    /// <summary>
    /// The config's digest, over its canonical text without keagitops' provenance: it changes when any
    /// setting changes, and not when the config is merely re-rendered from another commit.
    /// </summary>
    public static string ConfigDigest(JsonElement root)
    {
        // Hashed as it is written, a megabyte at a time: the text itself is never needed.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var output = new ArrayBufferWriter<byte>(HashChunk + 4096);
        WriteValue(output, root, 0, new Walk(ProvenanceEdit.Skip, 0), null, hash);
        output.Write("\n"u8);
        hash.AppendData(output.WrittenSpan);
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>How much canonical text the digest writer holds before it hashes it and starts over.</summary>
    private const int HashChunk = 1 << 20;

    /// <summary>Canonical text with <c>config-digest</c> added to the provenance (TOP.user-context.keagitops).</summary>
    public static string WriteWithConfigDigest(JsonElement root) =>
        Encoding.UTF8.GetString(Write(root, ProvenanceEdit.AddDigest, Encoding.UTF8.GetBytes(Quote(ConfigDigest(root)))).WrittenSpan);

    private enum ProvenanceEdit
    {
        None,
        Skip,
        AddDigest,
    }

    /// <summary>How far down the way to TOP.user-context.keagitops a value is (-1: off that way).</summary>
    private readonly record struct Walk(ProvenanceEdit Edit, int Step)
    {
        public Walk Into(JsonProperty member) => Step switch
        {
            0 => this with { Step = 1 },
            1 when member.NameEquals("user-context"u8) => this with { Step = 2 },
            2 when member.NameEquals(ProvenanceKey) => this with { Step = 3 },
            _ => this with { Step = -1 },
        };
    }

    private static ReadOnlySpan<byte> ProvenanceKey => "keagitops"u8;

    /// <summary>
    /// Writes UTF-8 straight from the parsed document's own bytes: a string without escapes is already
    /// canonical (JSON cannot hold a raw quote, backslash or control character), so it is copied as is;
    /// only a string with escapes is decoded and re-escaped the canonical way.
    /// </summary>
    private static ArrayBufferWriter<byte> Write(JsonElement root, ProvenanceEdit edit, byte[]? digest)
    {
        // Canonical text puts every key on its own indented line: about twice the template's output.
        var output = new ArrayBufferWriter<byte>((JsonMarshal.GetRawUtf8Value(root).Length * 2) + 1024);
        WriteValue(output, root, 0, new Walk(edit, 0), digest, null);
        output.Write("\n"u8);
        return output;
    }

    /// <param name="hash">when set, the written text is hashed and dropped whenever it passes <see cref="HashChunk"/>.</param>
    private static void WriteValue(ArrayBufferWriter<byte> output, JsonElement element, int depth, Walk walk, byte[]? digest, IncrementalHash? hash)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                output.Write("{"u8);
                var first = true;
                foreach (var member in element.EnumerateObject())
                {
                    var inner = walk.Step < 0 ? walk : walk.Into(member);
                    if (inner is { Step: 3, Edit: ProvenanceEdit.Skip })
                    {
                        continue;
                    }

                    Separate(output, ref first, depth + 1);
                    WriteName(output, member);
                    output.Write(": "u8);
                    WriteValue(output, member.Value, depth + 1, inner, digest, hash);
                }

                if (walk is { Step: 3, Edit: ProvenanceEdit.AddDigest } && digest is not null)
                {
                    Separate(output, ref first, depth + 1);
                    output.Write("\"config-digest\": "u8);
                    output.Write(digest);
                }

                Close(output, first, depth, "}"u8);
                break;
            case JsonValueKind.Array:
                output.Write("["u8);
                var firstItem = true;
                foreach (var item in element.EnumerateArray())
                {
                    Separate(output, ref firstItem, depth + 1);
                    WriteValue(output, item, depth + 1, walk with { Step = -1 }, digest, hash);
                    if (hash is not null && output.WrittenCount > HashChunk)
                    {
                        hash.AppendData(output.WrittenSpan);
                        output.ResetWrittenCount();
                    }
                }

                Close(output, firstItem, depth, "]"u8);
                break;
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(element);
                if (raw.IndexOf((byte)'\\') < 0)
                {
                    output.Write(raw);
                }
                else
                {
                    output.Write(Encoding.UTF8.GetBytes(Quote(element.GetString()!)));
                }

                break;
            default:
                output.Write(JsonMarshal.GetRawUtf8Value(element)); // numbers, true, false, null: exactly as written
                break;
        }
    }

    private static void WriteName(ArrayBufferWriter<byte> output, JsonProperty member)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(member);
        if (raw.IndexOf((byte)'\\') < 0)
        {
            output.Write("\""u8);
            output.Write(raw);
            output.Write("\""u8);
        }
        else
        {
            output.Write(Encoding.UTF8.GetBytes(Quote(member.Name)));
        }
    }

    /// <summary>Before each member or item: a comma after the previous one, a line break, the indent.</summary>
    private static void Separate(ArrayBufferWriter<byte> output, ref bool first, int depth)
    {
        output.Write(first ? "\n"u8 : ",\n"u8);
        first = false;
        Indent(output, depth);
    }

    private static void Close(ArrayBufferWriter<byte> output, bool empty, int depth, ReadOnlySpan<byte> close)
    {
        if (!empty)
        {
            output.Write("\n"u8);
            Indent(output, depth);
        }

        output.Write(close);
    }

    private static void Indent(ArrayBufferWriter<byte> output, int depth)
    {
        var span = output.GetSpan(depth * 2);
        span[..(depth * 2)].Fill((byte)' ');
        output.Advance(depth * 2);
    }

    private static void AppendQuoted(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case < ' ': builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
    }
}
