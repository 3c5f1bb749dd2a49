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
    /// <summary>Returns the file's root node, or null for an empty or unparseable file (a diagnostic says why).</summary>
    public static Node? Read(string text, string displayPath, DiagnosticBag diagnostics)
    {
        return SimpleListReader.TryRead(text, displayPath, diagnostics, out var list) ? list : ReadWithYamlDotNet(text, displayPath, diagnostics);
    }

    /// <summary>The general reader, for every file (the fast path's test compares against it).</summary>
    internal static Node? ReadWithYamlDotNet(string text, string displayPath, DiagnosticBag diagnostics)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, Node>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, displayPath, anchors, diagnostics);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                diagnostics.Add(DiagnosticCatalogue.SeveralDocuments(At(displayPath, second.Start)));
            }

            return root is ScalarNode { Kind: ScalarKind.Null } ? null : root;
        }
        catch (YamlException e)
        {
            diagnostics.Add(DiagnosticCatalogue.YamlSyntaxError(At(displayPath, e.Start), FirstLine(e)));
            return null;
        }
    }

    private static Node ReadNode(IParser parser, string file, Dictionary<string, Node> anchors, DiagnosticBag diagnostics)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value.Value}");
        }

        Node node;
        string? anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            node = new ScalarNode(scalar.Value, scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty, At(file, scalar.Start));
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var items = new List<Node>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, file, anchors, diagnostics));
            }

            node = new SequenceNode(items, At(file, sequenceStart.Start));
            anchor = sequenceStart.Anchor.IsEmpty ? null : sequenceStart.Anchor.Value;
        }
        else
        {
            var mappingStart = parser.Consume<MappingStart>();
            node = ReadMapping(parser, file, anchors, diagnostics, At(file, mappingStart.Start));
            anchor = mappingStart.Anchor.IsEmpty ? null : mappingStart.Anchor.Value;
        }

        if (anchor is not null)
        {
            anchors[anchor] = node;
        }

        return node;
    }

    private static MappingNode ReadMapping(IParser parser, string file, Dictionary<string, Node> anchors, DiagnosticBag diagnostics, SourceLocation location)
    {
        var entries = new List<MappingEntry>();
        var seen = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyNode = ReadNode(parser, file, anchors, diagnostics);
            var value = ReadNode(parser, file, anchors, diagnostics);
            if (keyNode is not ScalarNode key)
            {
                diagnostics.Add(DiagnosticCatalogue.ComplexKey(keyNode.Location));
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

        return new MappingNode(entries, location);
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

        return message.Split('\n')[0].Trim();
    }
}
