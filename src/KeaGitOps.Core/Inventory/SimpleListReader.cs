using System.Buffers;
using KeaGitOps.Core.Diagnostics;

namespace KeaGitOps.Core.Inventory;

/// <summary>
/// A fast reader for the one shape that makes up nearly all of a large inventory: a reservations file
/// that is a list of mappings of simple scalars, in any of the styles import, PyYAML, yq and people write:
/// <code>
/// - { hw-address: "bc:24:11:16:c6:92", ip-address: 192.168.1.74, hostname: influxdb }  # comment
/// - {hostname: printer, hw-address: 'bc:24:11:16:c6:93', ip-address: 192.168.1.75}
/// - hw-address: bc:24:11:16:c6:94
///   ip-address: 192.168.1.76
/// </code>
/// It accepts a file only when every line is a list item (a one-line flow mapping, or the first key of a
/// block mapping), a further key of the item's block mapping, a comment or blank. Each key and value must
/// be one of: a plain scalar of letters, digits and <c>. _ : / + -</c> starting with a letter or digit (a
/// colon only before a letter or digit; in values, also spaces between words); a single-quoted string
/// (<c>''</c> is a quote); a double-quoted string without escapes; all on one line. For anything else it
/// declines and YamlDotNet reads the file. On what it accepts it builds exactly the nodes, scalar types,
/// locations and findings YamlDotNet's reading would (a test compares the two on each style, many edge
/// cases and random edits of generated files).
/// </summary>
public static class SimpleListReader
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

        var reader = new Reader(displayPath);
        return reader.Read(text, diagnostics, out root);
    }

    private enum Context
    {
        Block,
        Flow,
    }

    private sealed class Reader(string file)
    {
        private readonly List<Node> _items = [];
        private readonly List<Diagnostic> _findings = [];

        /// <summary>Key texts seen so far: a file repeats a few keys thousands of times, one string each is enough.</summary>
        private readonly List<string> _keys = [];

        /// <summary>The open block mapping (the last item, when it was written in block style) and its keys' column.</summary>
        private List<MappingEntry>? _block;
        private int _blockColumn;

        private int _line;

        public bool Read(string text, DiagnosticBag diagnostics, out Node? root)
        {
            root = null;
            var dashColumn = -1;
            var firstLine = 0;
            var position = 0;
            while (position < text.Length)
            {
                _line++;
                var end = text.IndexOf('\n', position);
                var line = end < 0 ? text.AsSpan(position) : text.AsSpan(position, end - position);
                position = end < 0 ? text.Length : end + 1;
                var indent = line.IndexOfAnyExcept(' ');
                if (indent < 0 || line[indent] == '#')
                {
                    continue; // blank, or a comment: YAML ignores a comment line's indentation
                }

                if (line[indent] == '-' && (dashColumn < 0 || indent == dashColumn))
                {
                    dashColumn = indent;
                    firstLine = firstLine == 0 ? _line : firstLine;
                    if (!TryReadItem(line, indent))
                    {
                        return false;
                    }
                }
                else if (_block is null || indent != _blockColumn || !TryReadEntry(line, indent, _block, Context.Block, out var next) || !AtLineEnd(line, next))
                {
                    return false;
                }
            }

            if (dashColumn < 0)
            {
                return false; // empty, or comments only: YamlDotNet says what that means
            }

            diagnostics.AddRange(_findings);
            root = new SequenceNode(_items, new SourceLocation(file, firstLine, dashColumn + 1));
            return true;
        }

        /// <summary>"- " then a one-line flow mapping, or the first "key: value" of a block mapping.</summary>
        private bool TryReadItem(ReadOnlySpan<char> line, int dash)
        {
            _block = null;
            var i = SkipSpaces(line, dash + 1);
            if (i == dash + 1 || i == line.Length)
            {
                return false; // "-" alone (the item on the next lines), "--", "---", "-1"
            }

            var entries = new List<MappingEntry>(4);
            var start = new SourceLocation(file, _line, i + 1);
            if (line[i] == '{')
            {
                if (!TryReadFlowMapping(line, i + 1, entries, out var next) || !AtLineEnd(line, next))
                {
                    return false;
                }
            }
            else
            {
                if (!TryReadEntry(line, i, entries, Context.Block, out var next) || !AtLineEnd(line, next))
                {
                    return false;
                }

                // Further keys on the next lines land in the same list, so in the node made below.
                _block = entries;
                _blockColumn = i;
            }

            _items.Add(new MappingNode(entries, start));
            return true;
        }

        /// <summary>After "{": "key: value" pairs separated by commas, then "}".</summary>
        private bool TryReadFlowMapping(ReadOnlySpan<char> line, int i, List<MappingEntry> entries, out int next)
        {
            next = i;
            while (true)
            {
                i = SkipSpaces(line, i);
                if (!TryReadEntry(line, i, entries, Context.Flow, out i))
                {
                    return false;
                }

                i = SkipSpaces(line, i);
                if (i < line.Length && line[i] == ',')
                {
                    i++;
                    continue;
                }

                if (i < line.Length && line[i] == '}')
                {
                    next = i + 1;
                    return true;
                }

                return false;
            }
        }

        /// <summary>"key: value" at <paramref name="i"/>; <paramref name="next"/> is just after the value.</summary>
        private bool TryReadEntry(ReadOnlySpan<char> line, int i, List<MappingEntry> entries, Context context, out int next)
        {
            next = i;
            if (!TryReadScalar(line, ref i, context, isKey: true, out var key)
                || i + 1 >= line.Length || line[i] != ':' || line[i + 1] != ' ')
            {
                return false;
            }

            i = SkipSpaces(line, i + 1);
            if (!TryReadScalar(line, ref i, context, isKey: false, out var value))
            {
                return false;
            }

            // A handful of keys per mapping: a scan is cheaper than a dictionary per entry.
            foreach (var entry in entries)
            {
                if (entry.Key.Value == key.Value)
                {
                    _findings.Add(DiagnosticCatalogue.DuplicateKeyFound(key.Location, key.Value, entry.Key.Location));
                    next = i;
                    return true;
                }
            }

            entries.Add(new MappingEntry(key, value));

            next = i;
            return true;
        }

        private bool TryReadScalar(ReadOnlySpan<char> line, ref int i, Context context, bool isKey, out ScalarNode scalar)
        {
            scalar = null!;
            var start = i;
            if (i >= line.Length)
            {
                return false;
            }

            var location = new SourceLocation(file, _line, start + 1);
            string text;
            bool plain;
            if (line[i] is '"' or '\'')
            {
                if (!TryReadQuoted(line, ref i, out text))
                {
                    return false;
                }

                plain = false;
            }
            else
            {
                var end = PlainEnd(line, i, isKey);
                if (end == i)
                {
                    return false;
                }

                // The scalar ended at its last letter; what stops it must be what YAML would stop it at.
                var stop = SkipSpaces(line, end);
                var fits = stop == line.Length
                    || (isKey ? line[stop] == ':' && stop == end : stop > end && line[stop] == '#' && context == Context.Block)
                    || (context == Context.Flow && !isKey && line[stop] is ',' or '}');
                if (!fits)
                {
                    return false;
                }

                text = isKey ? Key(line[i..end]) : line[i..end].ToString();
                i = end;
                plain = true;
            }

            if (isKey && text.Length > MaxKeyLength)
            {
                return false;
            }

            scalar = new ScalarNode(text, plain, location);
            return true;
        }

        /// <summary>
        /// Where a plain scalar starting at <paramref name="i"/> ends (after its last non-space character):
        /// letters, digits, <c>. _ / + -</c>, a colon before a letter or digit, and (in values) single spaces
        /// between them. Anything else ends it; the caller checks that YAML would end it there too.
        /// </summary>
        private static int PlainEnd(ReadOnlySpan<char> line, int i, bool isKey)
        {
            if (!char.IsAsciiLetterOrDigit(line[i]))
            {
                return i;
            }

            var end = i;
            while (i < line.Length)
            {
                var c = line[i];
                if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' or '+' or '-'
                    || (c == ':' && i + 1 < line.Length && char.IsAsciiLetterOrDigit(line[i + 1])))
                {
                    end = ++i;
                }
                else if (c == ' ' && !isKey)
                {
                    i++; // kept only when more of the scalar follows
                }
                else
                {
                    break;
                }
            }

            return end;
        }

        /// <summary>'…' with '' for a quote, or "…" without escapes, closed on the same line.</summary>
        private static bool TryReadQuoted(ReadOnlySpan<char> line, ref int i, out string text)
        {
            text = null!;
            var quote = line[i];
            var body = line[(i + 1)..];
            if (quote == '"')
            {
                var close = body.IndexOfAny('"', '\\');
                if (close < 0 || body[close] != '"')
                {
                    return false;
                }

                text = body[..close].ToString();
                i += close + 2;
                return true;
            }

            var first = body.IndexOf('\'');
            if (first >= 0 && (first + 1 == body.Length || body[first + 1] != '\''))
            {
                text = body[..first].ToString(); // no '' inside: the common case, no copy
                i += first + 2;
                return true;
            }

            var length = 0;
            var buffer = new char[body.Length];
            var j = 0;
            while (true)
            {
                var close = body[j..].IndexOf('\'');
                if (close < 0)
                {
                    return false;
                }

                body.Slice(j, close).CopyTo(buffer.AsSpan(length));
                length += close;
                j += close + 1;
                if (j < body.Length && body[j] == '\'')
                {
                    buffer[length++] = '\'';
                    j++;
                    continue;
                }

                text = new string(buffer, 0, length);
                i += j + 1;
                return true;
            }
        }

        private string Key(ReadOnlySpan<char> text)
        {
            foreach (var key in _keys)
            {
                if (text.SequenceEqual(key))
                {
                    return key;
                }
            }

            var added = text.ToString();
            if (_keys.Count < 32)
            {
                _keys.Add(added);
            }

            return added;
        }

        /// <summary>Nothing after <paramref name="i"/> but spaces, or spaces then a comment.</summary>
        private static bool AtLineEnd(ReadOnlySpan<char> line, int i)
        {
            var rest = SkipSpaces(line, i);
            return rest == line.Length || (line[rest] == '#' && rest > i);
        }

        private static int SkipSpaces(ReadOnlySpan<char> line, int i)
        {
            var offset = line[i..].IndexOfAnyExcept(' ');
            return offset < 0 ? line.Length : i + offset;
        }
    }
}
