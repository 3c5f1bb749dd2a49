using System.Globalization;
using KeaGitOps.Core.Diagnostics;

namespace KeaGitOps.Core.Inventory;

/// <summary>
/// The inventory as read from YAML, before any meaning is given to it: every node keeps the place it
/// came from, so each later stage (schema, binding, rules) can point at the user's file and line.
/// </summary>
public abstract class Node(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    /// <summary>What the user would call this node's kind, for messages ("a list", "a mapping").</summary>
    public abstract string KindName { get; }
}

public enum ScalarKind
{
    String,
    Integer,
    Float,
    Boolean,
    Null,
}

/// <summary>
/// A scalar with its YAML 1.2 core-schema type: plain <c>8000</c> is an integer, <c>"8000"</c> a string,
/// and <c>bc:24:11:16:c6:92</c> a string (YAML 1.1 would have read some MACs as base-60 numbers).
/// </summary>
public sealed class ScalarNode : Node
{
    public ScalarNode(string value, bool isPlain, SourceLocation location)
        : base(location)
    {
        Value = value;
        Kind = isPlain ? Resolve(value) : ScalarKind.String;
    }

    public string Value { get; }

    public ScalarKind Kind { get; }

    public override string KindName => Kind switch
    {
        ScalarKind.Integer => "an integer",
        ScalarKind.Float => "a number",
        ScalarKind.Boolean => "a boolean",
        ScalarKind.Null => "null",
        _ => "a string",
    };

    public bool TryGetInteger(out long value)
    {
        value = 0;
        return Kind == ScalarKind.Integer && long.TryParse(Value.TrimStart('+'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public bool TryGetBoolean(out bool value)
    {
        value = Kind == ScalarKind.Boolean && Value is "true" or "True" or "TRUE";
        return Kind == ScalarKind.Boolean;
    }

    private static ScalarKind Resolve(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return ScalarKind.Null;
            case "true" or "True" or "TRUE" or "false" or "False" or "FALSE":
                return ScalarKind.Boolean;
        }

        if (IsInteger(value))
        {
            return ScalarKind.Integer;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && char.IsAsciiDigit(value[^1])
            ? ScalarKind.Float
            : ScalarKind.String;
    }

    private static bool IsInteger(string value)
    {
        var digits = value.AsSpan();
        if (digits.Length > 0 && digits[0] is '-' or '+')
        {
            digits = digits[1..];
        }

        // Any number of digits: an integer too large for 64 bits is still an integer, out of range.
        if (digits.Length == 0)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

public sealed class SequenceNode(IReadOnlyList<Node> items, SourceLocation location) : Node(location)
{
    public IReadOnlyList<Node> Items { get; } = items;

    public override string KindName => "a list";
}

public sealed record MappingEntry(ScalarNode Key, Node Value);

public sealed class MappingNode(IReadOnlyList<MappingEntry> entries, SourceLocation location) : Node(location)
{
    public IReadOnlyList<MappingEntry> Entries { get; } = entries;

    public override string KindName => "a mapping";

    public MappingEntry? Find(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key.Value == key)
            {
                return entry;
            }
        }

        return null;
    }
}

/// <summary>Kea's JSON as inventory nodes, so the checks written for the inventory (Kea's key table) read a live config too.</summary>
public static class JsonAsNodes
{
    /// <param name="location">where every node is said to be (JSON elements keep no line numbers).</param>
    public static Node From(System.Text.Json.JsonElement element, SourceLocation location) => element.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Object => new MappingNode(
            element.EnumerateObject().Select(m => new MappingEntry(new ScalarNode(m.Name, isPlain: false, location), From(m.Value, location))).ToList(), location),
        System.Text.Json.JsonValueKind.Array => new SequenceNode(element.EnumerateArray().Select(item => From(item, location)).ToList(), location),
        System.Text.Json.JsonValueKind.String => new ScalarNode(element.GetString()!, isPlain: false, location),
        System.Text.Json.JsonValueKind.Null => new ScalarNode("null", isPlain: true, location),
        _ => new ScalarNode(element.GetRawText(), isPlain: true, location),
    };
}
