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
    /// <summary>The characters <see cref="AppendQuoted"/> escapes: quote, backslash and controls.</summary>
    private static readonly SearchValues<char> Escaped = SearchValues.Create("\"\\" + string.Concat(Enumerable.Range(0, 0x20).Select(c => (char)c)));

    /// <summary>A string as a complete JSON literal, quotes included: the only way inventory text enters a template.</summary>
    public static string Quote(string value)
    {
        // Nearly every value (each reservation's MAC, address, hostname) needs no escape: one allocation, not three.
        if (!value.AsSpan().ContainsAny(Escaped))
        {
            return string.Concat("\"", value, "\"");
        }

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
        var output = new Utf8Buffer(HashChunk + 4096);
        WriteValue(output, root, 0, new Walk(ProvenanceEdit.Skip, 0), null, hash, null);
        output.Write("\n"u8);
        hash.AppendData(output.WrittenSpan);
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>How much canonical text the digest writer holds before it hashes it and starts over.</summary>
    private const int HashChunk = 1 << 20;

    /// <summary>
    /// The file's UTF-8: canonical text with <c>config-digest</c> added to the provenance
    /// (TOP.user-context.keagitops), in one pass: the text is written with a placeholder of the digest's
    /// length, the digest is the hash of that text minus the provenance member (exactly the text
    /// <see cref="ConfigDigest"/> hashes), and the placeholder is then overwritten. A test holds it equal
    /// to the two-pass result.
    /// </summary>
    public static byte[] WriteUtf8WithConfigDigest(JsonElement root)
    {
        var marks = new ProvenanceMarks();
        var output = Write(root, ProvenanceEdit.AddDigest, DigestPlaceholder, marks);
        if (marks.Count != 1)
        {
            return WriteUtf8WithConfigDigestTwoPass(root); // no provenance, or more than one: the plain way
        }

        var text = output.WrittenSpan;
        var (cutFrom, cutTo) = marks.Cut();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(text[..cutFrom]);
        hash.AppendData(text[cutTo..]);
        Encoding.UTF8.GetBytes(Quote("sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()))).CopyTo(text[marks.DigestAt..]);
        return text.ToArray();
    }

    /// <summary>The reference: the digest from its own pass, then the text. Kept for the test and for odd provenance.</summary>
    internal static byte[] WriteUtf8WithConfigDigestTwoPass(JsonElement root) =>
        Write(root, ProvenanceEdit.AddDigest, Encoding.UTF8.GetBytes(Quote(ConfigDigest(root))), null).WrittenSpan.ToArray();

    private static readonly byte[] DigestPlaceholder = Encoding.UTF8.GetBytes(Quote("sha256:" + new string('0', 64)));

    /// <summary>
    /// Where the provenance member landed in the written text, to hash the text without it: the
    /// separator before it, its own span, whether it was its object's first or only member.
    /// </summary>
    private sealed class ProvenanceMarks
    {
        public int Count { get; set; }

        public int SeparatorStart { get; set; }

        public int MemberStart { get; set; }

        public int MemberEnd { get; set; }

        public bool WasFirst { get; set; }

        public bool IsOnly { get; set; }

        /// <summary>Length of the separator before a following member (",\n" and its indent).</summary>
        public int NextSeparatorLength { get; set; }

        /// <summary>Offset of the closing brace of the object holding the provenance.</summary>
        public int CloseBraceAt { get; set; }

        public int DigestAt { get; set; }

        /// <summary>
        /// The range to leave out so the rest reads as the text written without the member: after an
        /// earlier member, the member with its comma; as the first of several, the member and the next
        /// one's comma; alone, everything between the braces ("{}").
        /// </summary>
        public (int From, int To) Cut() =>
            IsOnly ? (SeparatorStart, CloseBraceAt)
            : WasFirst ? (MemberStart, MemberEnd + NextSeparatorLength)
            : (SeparatorStart, MemberEnd);
    }

    private enum ProvenanceEdit
    {
        None,
        Skip,
        AddDigest,
    }

    /// <summary>How far down the way to TOP.user-context.keagitops a value is (0 the root, 1 TOP, 2 user-context, 3 the provenance; -1: off that way).</summary>
    private readonly record struct Walk(ProvenanceEdit Edit, int Step);

    /// <summary><see cref="Kea.KeaProvenance.Key"/> as UTF-8: the walk below is <see cref="Kea.KeaProvenance.IsAt"/>'s rule, written for a token stream.</summary>
    private static ReadOnlySpan<byte> ProvenanceKey => "keagitops"u8;

    /// <summary>
    /// Writes UTF-8 straight from the parsed document's own bytes: a string without escapes is already
    /// canonical (JSON cannot hold a raw quote, backslash or control character), so it is copied as is;
    /// only a string with escapes is decoded and re-escaped the canonical way.
    /// </summary>
    private static Utf8Buffer Write(JsonElement root, ProvenanceEdit edit, byte[]? digest, ProvenanceMarks? marks = null)
    {
        // Canonical text puts every key on its own indented line: about twice the template's output.
        var output = new Utf8Buffer((JsonMarshal.GetRawUtf8Value(root).Length * 2) + 1024);
        WriteValue(output, root, 0, new Walk(edit, 0), digest, null, marks);
        output.Write("\n"u8);
        return output;
    }

    /// <summary>One open object or array while writing: its place on the way to the provenance and what was written in it.</summary>
    private struct Frame
    {
        public bool IsObject;
        public bool First;
        public int Step;
        public int Written;
        public bool HoldsProvenance;
        public bool IsProvenance;
    }

    /// <summary>
    /// Writes the document token by token from its own UTF-8 (Utf8JsonReader: no tree walk). Levels of
    /// nesting set the indent; the walk steps find TOP.user-context.keagitops to skip it or add the digest.
    /// </summary>
    /// <param name="hash">when set, the written text is hashed and dropped whenever it passes <see cref="HashChunk"/>.</param>
    /// <param name="marks">when set, records where the provenance member is written.</param>
    private static void WriteValue(Utf8Buffer output, JsonElement element, int depth, Walk walk, byte[]? digest, IncrementalHash? hash, ProvenanceMarks? marks)
    {
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(element), new JsonReaderOptions { MaxDepth = 256 });
        var frames = new Frame[258];
        var level = 0; // open containers
        var pendingStep = walk.Step;
        var pendingProvenance = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    ref var parent = ref frames[level];
                    var step = parent.Step switch
                    {
                        0 => 1,
                        1 when reader.ValueTextEquals("user-context"u8) => 2,
                        2 when reader.ValueTextEquals(ProvenanceKey) => 3,
                        _ => -1,
                    };
                    if (step == 3 && walk.Edit == ProvenanceEdit.Skip)
                    {
                        reader.Skip();
                        continue;
                    }

                    pendingProvenance = step == 3 && marks is not null;
                    if (pendingProvenance)
                    {
                        parent.HoldsProvenance = true;
                        marks!.Count++;
                        (marks.SeparatorStart, marks.WasFirst) = (output.WrittenCount, parent.First);
                    }

                    Separate(output, ref parent.First, depth + level);
                    if (pendingProvenance)
                    {
                        marks!.MemberStart = output.WrittenCount;
                    }

                    WriteText(output, ref reader);
                    output.Write(": "u8);
                    parent.Written++;
                    pendingStep = step;
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    BeforeValue(output, frames, level, depth, ref pendingStep);
                    var isObject = reader.TokenType == JsonTokenType.StartObject;
                    output.Write(isObject ? "{"u8 : "["u8);
                    frames[++level] = new Frame { IsObject = isObject, First = true, Step = isObject ? pendingStep : -1, IsProvenance = pendingProvenance };
                    pendingProvenance = false;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    ref var closing = ref frames[level];
                    if (closing.IsObject && closing.Step == 3 && walk.Edit == ProvenanceEdit.AddDigest && digest is not null)
                    {
                        Separate(output, ref closing.First, depth + level);
                        output.Write("\"config-digest\": "u8);
                        if (marks is not null)
                        {
                            marks.DigestAt = output.WrittenCount;
                        }

                        output.Write(digest);
                    }

                    Close(output, closing.First, depth + level - 1, closing.IsObject ? "}"u8 : "]"u8);
                    if (closing.HoldsProvenance)
                    {
                        (marks!.IsOnly, marks.CloseBraceAt) = (closing.Written == 1, output.WrittenCount - 1);
                    }

                    if (closing.IsProvenance)
                    {
                        (marks!.MemberEnd, marks.NextSeparatorLength) = (output.WrittenCount, 2 + ((depth + level - 1) * 2));
                    }

                    level--;
                    AfterValue(output, frames, level, hash);
                    break;
                default:
                    BeforeValue(output, frames, level, depth, ref pendingStep);
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        WriteText(output, ref reader);
                    }
                    else
                    {
                        output.Write(reader.ValueSpan); // numbers, true, false, null: exactly as written
                    }

                    if (pendingProvenance)
                    {
                        (marks!.MemberEnd, marks.NextSeparatorLength) = (output.WrittenCount, 2 + ((depth + level) * 2));
                        pendingProvenance = false;
                    }

                    AfterValue(output, frames, level, hash);
                    break;
            }
        }
    }

    /// <summary>An item of an array gets its separator here (an object's members get theirs with their name).</summary>
    private static void BeforeValue(Utf8Buffer output, Frame[] frames, int level, int depth, ref int pendingStep)
    {
        if (level > 0 && !frames[level].IsObject)
        {
            Separate(output, ref frames[level].First, depth + level);
            pendingStep = -1;
        }
    }

    /// <summary>After an array item, the digest writer hashes what it holds once that passes <see cref="HashChunk"/>.</summary>
    private static void AfterValue(Utf8Buffer output, Frame[] frames, int level, IncrementalHash? hash)
    {
        if (hash is not null && level > 0 && !frames[level].IsObject && output.WrittenCount > HashChunk)
        {
            hash.AppendData(output.WrittenSpan);
            output.ResetWrittenCount();
        }
    }

    /// <summary>A string or property name: copied as written unless it has escapes, which are redone the canonical way.</summary>
    private static void WriteText(Utf8Buffer output, ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            output.Write(Encoding.UTF8.GetBytes(Quote(reader.GetString()!)));
            return;
        }

        output.Write("\""u8);
        output.Write(reader.ValueSpan);
        output.Write("\""u8);
    }

    /// <summary>Before each member or item: a comma after the previous one, a line break, the indent.</summary>
    private static void Separate(Utf8Buffer output, ref bool first, int depth)
    {
        output.Write(first ? "\n"u8 : ",\n"u8);
        first = false;
        Indent(output, depth);
    }

    private static void Close(Utf8Buffer output, bool empty, int depth, ReadOnlySpan<byte> close)
    {
        if (!empty)
        {
            output.Write("\n"u8);
            Indent(output, depth);
        }

        output.Write(close);
    }

    private static void Indent(Utf8Buffer output, int depth) => output.Spaces(depth * 2);

    /// <summary>
    /// The bytes being written: a plain growable array, because the writer makes millions of tiny writes
    /// and IBufferWriter's interface calls per write cost more than the copying.
    /// </summary>
    private sealed class Utf8Buffer(int capacity)
    {
        private byte[] _bytes = new byte[Math.Max(capacity, 256)];

        public int WrittenCount { get; private set; }

        public Span<byte> WrittenSpan => _bytes.AsSpan(0, WrittenCount);

        public void Write(ReadOnlySpan<byte> bytes)
        {
            Reserve(bytes.Length);
            bytes.CopyTo(_bytes.AsSpan(WrittenCount));
            WrittenCount += bytes.Length;
        }

        public void Spaces(int count)
        {
            Reserve(count);
            _bytes.AsSpan(WrittenCount, count).Fill((byte)' ');
            WrittenCount += count;
        }

        public void ResetWrittenCount() => WrittenCount = 0;

        private void Reserve(int more)
        {
            if (WrittenCount + more > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, WrittenCount + more));
            }
        }
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
