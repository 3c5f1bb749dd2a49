using System.Globalization;
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

    public static string Write(JsonElement root) => Write(root, ProvenanceEdit.None, null);

    /// <summary>
    /// The config's digest, over its canonical text without keagitops' provenance: it changes when any
    /// setting changes, and not when the config is merely re-rendered from another commit.
    /// </summary>
    public static string ConfigDigest(JsonElement root) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Write(root, ProvenanceEdit.Skip, null))));

    /// <summary>Canonical text with <c>config-digest</c> added to the provenance (TOP.user-context.keagitops).</summary>
    public static string WriteWithConfigDigest(JsonElement root) => Write(root, ProvenanceEdit.AddDigest, Quote(ConfigDigest(root)));

    private enum ProvenanceEdit
    {
        None,
        Skip,
        AddDigest,
    }

    /// <summary>How far down the way to TOP.user-context.keagitops a value is (-1: off that way).</summary>
    private readonly record struct Walk(ProvenanceEdit Edit, string? Digest, int Step)
    {
        public Walk Into(string? name) => Step switch
        {
            0 => this with { Step = 1 },
            1 when name == "user-context" => this with { Step = 2 },
            2 when name == ProvenanceKey => this with { Step = 3 },
            _ => this with { Step = -1 },
        };
    }

    private const string ProvenanceKey = "keagitops";

    private static string Write(JsonElement root, ProvenanceEdit edit, string? digest)
    {
        var builder = new StringBuilder();
        WriteValue(builder, root, 0, new Walk(edit, digest, 0));
        builder.Append('\n');
        return builder.ToString();
    }

    private static void WriteValue(StringBuilder builder, JsonElement element, int depth, Walk walk)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = element.EnumerateObject().Select(p => ((string?)p.Name, p.Value));
                if (walk is { Step: 2, Edit: ProvenanceEdit.Skip })
                {
                    members = members.Where(m => m.Item1 != ProvenanceKey);
                }

                WriteContainer(builder, '{', '}', depth, members, walk, walk is { Step: 3, Edit: ProvenanceEdit.AddDigest } ? walk.Digest : null);
                break;
            case JsonValueKind.Array:
                WriteContainer(builder, '[', ']', depth, element.EnumerateArray().Select(v => ((string?)null, v)), walk with { Step = -1 }, null);
                break;
            case JsonValueKind.String:
                AppendQuoted(builder, element.GetString()!);
                break;
            default:
                builder.Append(element.GetRawText()); // numbers, true, false, null: exactly as written
                break;
        }
    }

    private static void WriteContainer(StringBuilder builder, char open, char close, int depth, IEnumerable<(string? Name, JsonElement Value)> members, Walk walk, string? digest)
    {
        builder.Append(open);
        var first = true;
        foreach (var (name, value) in members)
        {
            builder.Append(first ? "\n" : ",\n").Append(' ', (depth + 1) * 2);
            first = false;
            if (name is not null)
            {
                AppendQuoted(builder, name);
                builder.Append(": ");
            }

            WriteValue(builder, value, depth + 1, walk.Step < 0 ? walk : walk.Into(name));
        }

        if (digest is not null)
        {
            builder.Append(first ? "\n" : ",\n").Append(' ', (depth + 1) * 2).Append("\"config-digest\": ").Append(digest);
            first = false;
        }

        if (!first)
        {
            builder.Append('\n').Append(' ', depth * 2);
        }

        builder.Append(close);
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
