using KeaGitOps.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace KeaGitOps.Core.Inventory;

/// <summary>
/// Reads one YAML file into <see cref="Node"/>s that keep their file:line:col. Works on the parser's
/// event stream rather than YamlDotNet's object model so that a duplicate key becomes a finding
/// naming both places, not an exception, and so reading stays linear for very large files.
/// </summary>
public static class YamlReader
{
    /// <summary>Alias uses one file may make.</summary>
    public const int MaxAliases = 10_000;

    /// <summary>
    /// Values that aliases in one file may stand for, counted as expanded. The tree keeps an alias's
    /// target shared, but every later phase walks it as a tree: nine levels of nine aliases are 387
    /// million values to the schema check.
    /// </summary>
    public const int MaxAliasValues = 100_000;

    /// <summary>Nesting an inventory never needs (it uses about eight levels); the phases after reading recurse.</summary>
    public const int MaxDepth = 64;

    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    /// <summary>Returns the file's root node, or null for an empty or unparseable file (a diagnostic says why).</summary>
    public static Node? Read(string text, string displayPath, DiagnosticBag diagnostics) => Read(text, displayPath, diagnostics, out _);

    /// <param name="aliasValues">how many values the file's aliases stand for, expanded.</param>
    public static Node? Read(string text, string displayPath, DiagnosticBag diagnostics, out int aliasValues)
    {
        aliasValues = 0;
        return SimpleListReader.TryRead(text, displayPath, diagnostics, out var list) ? list : ReadWithYamlDotNet(text, displayPath, diagnostics, out aliasValues);
    }

    /// <summary>The general reader, for every file (the fast path's test compares against it).</summary>
    internal static Node? ReadWithYamlDotNet(string text, string displayPath, DiagnosticBag diagnostics) => ReadWithYamlDotNet(text, displayPath, diagnostics, out _);

    private static Node? ReadWithYamlDotNet(string text, string displayPath, DiagnosticBag diagnostics, out int aliasValues)
    {
        var scanner = new Scanner(new StringReader(text));
        var reading = new Reading(new Parser(scanner), displayPath, diagnostics);
        try
        {
            return reading.Document();
        }
        catch (YamlException e)
        {
            // A flow collection left open is noticed lines later (or at the end of the file); the line to fix is where it opened.
            var message = FirstLine(e);
            diagnostics.Add(reading.OpenFlow is { } open && message.StartsWith("While parsing a flow", StringComparison.Ordinal) && open.Start.Line < e.Start.Line
                ? DiagnosticCatalogue.FlowNotClosed(At(displayPath, open.Start), open.Bracket, (int)e.Start.Line, message)
                : DiagnosticCatalogue.YamlSyntaxError(Where(e, scanner, displayPath), message));
            return null;
        }
        catch (RefusedException)
        {
            return null; // the finding is made where the limit was crossed
        }
        finally
        {
            aliasValues = reading.AliasValues;
        }
    }

    /// <summary>
    /// Some scanner errors (a tab used as indentation) carry no position at all, which read as line 1;
    /// the scanner stands on the offending character then.
    /// </summary>
    private static SourceLocation Where(YamlException e, Scanner scanner, string file)
    {
        if (e.Start.Equals(Mark.Empty) && e.End.Equals(Mark.Empty))
        {
            return At(file, scanner.CurrentPosition);
        }

        // "While scanning a plain scalar, found a tab character…": Start is the scalar, often on the line
        // before; End is the tab.
        return e.Message.Contains(" tab ", StringComparison.Ordinal) ? At(file, e.End) : At(file, e.Start);
    }

    private static SourceLocation At(string file, Mark mark) => new(file, (int)mark.Line, (int)mark.Column);

    /// <summary>YamlDotNet prefixes messages with the position, which the location already carries.</summary>
    private static string FirstLine(YamlException e)
    {
        var message = e.Message;
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith('(') && close > 0)
        {
            message = message[(close + 3)..];
        }

        return message.Split('\n')[0].Trim().TrimEnd('.');
    }

    /// <summary>Stops reading a file once a limit is crossed; the finding is already made.</summary>
    private sealed class RefusedException : Exception;

    /// <summary>One file's reading: the anchors seen so far with their expanded sizes, and the alias budget spent.</summary>
    private sealed class Reading(IParser parser, string file, DiagnosticBag diagnostics)
    {
        private readonly Dictionary<string, Shape> _anchors = new(StringComparer.Ordinal);
        private readonly Stack<(Mark Start, char Bracket)> _openFlows = new();
        private int _aliases;

        /// <summary>The innermost flow collection ('{' or '[') not yet closed.</summary>
        public (Mark Start, char Bracket)? OpenFlow => _openFlows.Count > 0 ? _openFlows.Peek() : null;

        public int AliasValues { get; private set; }

        public Node? Document()
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(1).Node;
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                diagnostics.Add(DiagnosticCatalogue.SeveralDocuments(At(file, second.Start)));
            }

            return root is ScalarNode { Kind: ScalarKind.Null } ? null : root;
        }

        /// <summary>A node with the number of values it stands for and the levels it spans, aliases expanded.</summary>
        private readonly record struct Shape(Node Node, int Size, int Height);

        private Shape ReadNode(int depth)
        {
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                return Alias(alias, depth);
            }

            if (depth > MaxDepth)
            {
                Refuse(DiagnosticCatalogue.NestedTooDeep(At(file, parser.Current!.Start), MaxDepth));
            }

            Node node;
            int size;
            var height = 1;
            NodeEvent start;
            if (parser.TryConsume<Scalar>(out var scalar))
            {
                start = scalar;
                node = new ScalarNode(scalar.Value, scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty, At(file, scalar.Start));
                size = 1;
            }
            else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
            {
                start = sequenceStart;
                Opened(sequenceStart.Style == SequenceStyle.Flow, sequenceStart.Start, '[');
                var items = new List<Node>();
                size = 1;
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    var item = ReadNode(depth + 1);
                    items.Add(item.Node);
                    size += item.Size;
                    height = Math.Max(height, item.Height + 1);
                }

                Closed(sequenceStart.Style == SequenceStyle.Flow);
                node = new SequenceNode(items, At(file, sequenceStart.Start));
            }
            else
            {
                var mappingStart = parser.Consume<MappingStart>();
                start = mappingStart;
                Opened(mappingStart.Style == MappingStyle.Flow, mappingStart.Start, '{');
                (node, size, height) = ReadMapping(depth, At(file, mappingStart.Start));
                Closed(mappingStart.Style == MappingStyle.Flow);
            }

            CheckTag(start, node);
            var shape = new Shape(node, size, height);
            if (!start.Anchor.IsEmpty)
            {
                _anchors[start.Anchor.Value] = shape;
            }

            return shape;
        }

        private Shape ReadMapping(int depth, SourceLocation location)
        {
            var entries = new List<MappingEntry>();
            var seen = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
            var size = 1;
            var height = 1;
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                // A quoted "<<" is an ordinary key; only the plain one is YAML 1.1's merge key.
                var isMergeKey = parser.Accept<Scalar>(out var keyEvent) && keyEvent is { Value: "<<", Style: ScalarStyle.Plain } && keyEvent.Tag.IsEmpty;
                var (keyNode, keySize, keyHeight) = ReadNode(depth + 1);
                var (value, valueSize, valueHeight) = ReadNode(depth + 1);
                size += keySize + valueSize;
                height = Math.Max(height, Math.Max(keyHeight, valueHeight) + 1);
                if (keyNode is not ScalarNode key)
                {
                    diagnostics.Add(DiagnosticCatalogue.ComplexKey(keyNode.Location));
                    continue;
                }

                if (isMergeKey)
                {
                    diagnostics.Add(DiagnosticCatalogue.MergeKey(key.Location));
                    continue;
                }

                if (seen.TryGetValue(key.Value, out var first))
                {
                    diagnostics.Add(DiagnosticCatalogue.DuplicateKeyFound(key.Location, key.Value, first.Location));
                    continue;
                }

                seen.Add(key.Value, key);
                entries.Add(new MappingEntry(key, value));
            }

            return new Shape(new MappingNode(entries, location), size, height);
        }

        private Shape Alias(AnchorAlias alias, int depth)
        {
            if (!_anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value.Value}");
            }

            if (++_aliases > MaxAliases)
            {
                Refuse(DiagnosticCatalogue.TooManyAliases(At(file, alias.Start), MaxAliases));
            }

            // An alias nests its target where it stands: anchors nesting each other's aliases would otherwise
            // build, through a few aliases, a tree deeper than any phase after reading can recurse.
            if (depth + target.Height - 1 > MaxDepth)
            {
                Refuse(DiagnosticCatalogue.NestedTooDeep(At(file, alias.Start), MaxDepth));
            }

            AliasValues += target.Size;
            if (AliasValues > MaxAliasValues)
            {
                Refuse(DiagnosticCatalogue.AliasesTooLarge(At(file, alias.Start), MaxAliasValues));
            }

            return target;
        }

        /// <summary>Only !!str (and the non-specific '!') change nothing a reader of the file would not expect.</summary>
        private void CheckTag(NodeEvent start, Node node)
        {
            if (start.Tag.IsEmpty || start.Tag.IsNonSpecific)
            {
                return;
            }

            var tag = start.Tag.Value;
            var expected = node switch { ScalarNode => "str", SequenceNode => "seq", _ => "map" };
            if (tag != CoreTagPrefix + expected)
            {
                diagnostics.Add(DiagnosticCatalogue.TagRefused(node.Location, tag.StartsWith(CoreTagPrefix, StringComparison.Ordinal) ? "!!" + tag[CoreTagPrefix.Length..] : tag));
            }
        }

        private void Opened(bool flow, Mark start, char bracket)
        {
            if (flow)
            {
                _openFlows.Push((start, bracket));
            }
        }

        private void Closed(bool flow)
        {
            if (flow)
            {
                _openFlows.Pop();
            }
        }

        private void Refuse(Diagnostic finding)
        {
            diagnostics.Add(finding);
            throw new RefusedException();
        }
    }
}
