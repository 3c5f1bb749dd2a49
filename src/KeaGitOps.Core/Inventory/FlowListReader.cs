using System.Buffers;
using KeaGitOps.Core.Diagnostics;

namespace KeaGitOps.Core.Inventory;

/// <summary>
/// A fast reader for the one shape that makes up nearly all of a large inventory: a reservations file
/// whose every line is a flow mapping of simple scalars, as import and the examples write them:
/// <code>- { hw-address: "bc:24:11:16:c6:92", ip-address: 192.168.1.74, hostname: influxdb }  # comment</code>
/// It accepts a file only when every line is such an entry, a comment or blank, and every key and value
/// is a plain scalar of letters, digits and <c>. _ : / + -</c> (starting with a letter or digit) or a
/// double-quoted string without escapes; for anything else it declines and YamlDotNet reads the file.
/// On what it accepts it builds exactly the nodes, locations and findings YamlDotNet's reading would
/// (a test compares the two on generated files).
/// </summary>
public static class FlowListReader
{
    /// <summary>YAML limits implicit keys to 1024 characters; keys this reader takes are far shorter.</summary>
    private const int MaxKeyLength = 64;

    /// <summary>
    /// Characters YamlDotNet treats specially anywhere, comments included: line breaks other than \n (a lone
    /// \r, NEL, LS, PS), the end-of-input NUL, other C0/C1 controls and DEL (not printable), tabs, BOM and
    /// surrogates. A file holding any of them is left to YamlDotNet.
    /// </summary>
    private static readonly SearchValues<char> Declined = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Where(c => c != '\n').Select(c => (char)c))
        + string.Concat(Enumerable.Range(0x7F, 0x21).Select(c => (char)c))
        + "\u2028\u2029\uFEFF\uFFFE\uFFFF"
        + string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)));

    /// <summary>True when the file had the simple shape and <paramref name="root"/> holds its list.</summary>
    public static bool TryRead(string text, string displayPath, DiagnosticBag diagnostics, out Node? root)
    {
        root = null;
        if (text.AsSpan().ContainsAny(Declined))
        {
            return false;
        }

        var items = new List<Node>();
        var findings = new List<Diagnostic>();
        SourceLocation? start = null;
        var lineNumber = 0;
        var position = 0;
        while (position < text.Length)
        {
            lineNumber++;
            var end = text.IndexOf('\n', position);
            var line = end < 0 ? text.AsSpan(position) : text.AsSpan(position, end - position);
            position = end < 0 ? text.Length : end + 1;
            var content = line.TrimStart(' ');
            if (content.IsEmpty || content[0] == '#')
            {
                continue;
            }

            if (line[0] != '-' || !TryReadEntry(line, lineNumber, displayPath, findings, out var entry))
            {
                return false;
            }

            start ??= new SourceLocation(displayPath, lineNumber, 1);
            items.Add(entry);
        }

        if (start is null)
        {
            return false; // empty, or comments only: YamlDotNet says what that means
        }

        diagnostics.AddRange(findings);
        root = new SequenceNode(items, start.Value);
        return true;
    }

    /// <summary>One line: "- { key: value, key: value }", then optionally spaces and a comment.</summary>
    private static bool TryReadEntry(ReadOnlySpan<char> line, int lineNumber, string file, List<Diagnostic> findings, out Node entry)
    {
        entry = null!;
        if (!line.StartsWith("- { "))
        {
            return false;
        }

        var entries = new List<MappingEntry>(4);
        var i = 4;
        while (true)
        {
            if (!TryReadScalar(line, ref i, lineNumber, file, allowQuoted: false, out var key) || key.Value.Length > MaxKeyLength || !Skip(line, ref i, ": ")
                || !TryReadScalar(line, ref i, lineNumber, file, allowQuoted: true, out var value))
            {
                return false;
            }

            // A handful of keys per line: a scan is cheaper than a dictionary per entry.
            if (entries.Find(e => e.Key.Value == key.Value) is { } first)
            {
                findings.Add(DiagnosticCatalogue.DuplicateKeyFound(key.Location, key.Value, first.Key.Location));
            }
            else
            {
                entries.Add(new MappingEntry(key, value));
            }

            if (Skip(line, ref i, ", "))
            {
                continue;
            }

            if (!Skip(line, ref i, " }"))
            {
                return false;
            }

            break;
        }

        // After the mapping: nothing, or spaces then a comment.
        var rest = line[i..];
        var trimmed = rest.TrimStart(' ');
        if (!trimmed.IsEmpty && (trimmed[0] != '#' || trimmed.Length == rest.Length))
        {
            return false;
        }

        entry = new MappingNode(entries, new SourceLocation(file, lineNumber, 3));
        return true;
    }

    private static bool Skip(ReadOnlySpan<char> line, ref int i, string expected)
    {
        if (!line[i..].StartsWith(expected))
        {
            return false;
        }

        i += expected.Length;
        return true;
    }

    private static bool TryReadScalar(ReadOnlySpan<char> line, ref int i, int lineNumber, string file, bool allowQuoted, out ScalarNode scalar)
    {
        scalar = null!;
        var start = i;
        if (i >= line.Length)
        {
            return false;
        }

        if (line[i] == '"')
        {
            if (!allowQuoted)
            {
                return false;
            }

            var close = line[(i + 1)..].IndexOfAny('"', '\\');
            if (close < 0 || line[i + 1 + close] != '"')
            {
                return false;
            }

            var quoted = line.Slice(i + 1, close); // control characters and the like were declined for the whole file
            i += close + 2;
            scalar = new ScalarNode(quoted.ToString(), isPlain: false, new SourceLocation(file, lineNumber, start + 1));
            return true;
        }

        if (!char.IsAsciiLetterOrDigit(line[i]))
        {
            return false;
        }

        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '.' or '_' or '/' or '+' or '-' or ':'))
        {
            // ": " or ":," would end a plain scalar in a flow mapping: leave such text to YamlDotNet.
            if (line[i] == ':' && (i + 1 >= line.Length || !char.IsAsciiLetterOrDigit(line[i + 1])))
            {
                break;
            }

            i++;
        }

        scalar = new ScalarNode(line[start..i].ToString(), isPlain: true, new SourceLocation(file, lineNumber, start + 1));
        return true;
    }
}
