using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KeaGitOps.Core.Rendering;

/// <summary>
/// Kea's own keys from the inventory, laid over a template's output where they belong: a map merges
/// member by member (the template's <c>multi-threading</c> default and the inventory's thread count
/// both stay), any other value of the inventory's replaces the template's, and keys the template did
/// not write are added after its own. Lists are replaced, except those marked appended (the user's
/// hook libraries come after keagitops's own). Validation has already refused every key keagitops
/// derives, so nothing derived is ever replaced. Parts of the document the overlay does not reach
/// (a subnet's reservations: the bulk of a large config) are copied as raw bytes.
/// </summary>
public sealed class KeaKeysOverlay
{
    /// <summary>Members merged into this object.</summary>
    public JsonObject Members { get; } = [];

    /// <summary>Lists whose items are added after the template's items (or become the list when the template has none).</summary>
    public Dictionary<string, JsonArray> Appended { get; } = new(StringComparer.Ordinal);

    /// <summary>Overlays for objects nested under a member.</summary>
    public Dictionary<string, KeaKeysOverlay> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>Overlays for the items of a list member that match (a subnet by its id, the HA hook by its library).</summary>
    public List<(string List, Func<JsonElement, bool> Matches, KeaKeysOverlay Overlay)> Items { get; } = [];

    public bool IsEmpty => Members.Count == 0 && Appended.Count == 0 && Children.Values.All(c => c.IsEmpty) && Items.All(i => i.Overlay.IsEmpty);

    public KeaKeysOverlay Child(string member) =>
        Children.TryGetValue(member, out var child) ? child : Children[member] = new KeaKeysOverlay();

    /// <summary>The template's document with the overlay laid over it, as a new document (the input is left as it is).</summary>
    public JsonDocument Apply(JsonDocument template)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>(JsonMarshal.GetRawUtf8Value(template.RootElement).Length + 4096);
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true }))
        {
            Write(writer, template.RootElement, this);
        }

        return JsonDocument.Parse(output.WrittenMemory, new JsonDocumentOptions { MaxDepth = 64 });
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element, KeaKeysOverlay? overlay)
    {
        if (overlay is null || overlay.IsEmpty || element.ValueKind != JsonValueKind.Object)
        {
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(element), skipInputValidation: true);
            return;
        }

        writer.WriteStartObject();
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            written.Add(member.Name);
            writer.WritePropertyName(member.Name);
            if (overlay.Members.TryGetPropertyValue(member.Name, out var value))
            {
                Merge(writer, member.Value, value);
            }
            else if (overlay.Appended.TryGetValue(member.Name, out var appended) && member.Value.ValueKind == JsonValueKind.Array)
            {
                writer.WriteStartArray();
                foreach (var item in member.Value.EnumerateArray())
                {
                    WriteItem(writer, member.Name, item, overlay);
                }

                foreach (var item in appended)
                {
                    WriteNode(writer, item);
                }

                writer.WriteEndArray();
            }
            else if (member.Value.ValueKind == JsonValueKind.Array && overlay.Items.Exists(i => i.List == member.Name))
            {
                writer.WriteStartArray();
                foreach (var item in member.Value.EnumerateArray())
                {
                    WriteItem(writer, member.Name, item, overlay);
                }

                writer.WriteEndArray();
            }
            else
            {
                Write(writer, member.Value, overlay.Children.GetValueOrDefault(member.Name));
            }
        }

        foreach (var (name, value) in overlay.Members)
        {
            if (!written.Contains(name))
            {
                writer.WritePropertyName(name);
                WriteNode(writer, value);
            }
        }

        foreach (var (name, items) in overlay.Appended)
        {
            if (!written.Contains(name))
            {
                writer.WritePropertyName(name);
                WriteNode(writer, items);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteItem(Utf8JsonWriter writer, string list, JsonElement item, KeaKeysOverlay overlay)
    {
        KeaKeysOverlay? match = null;
        foreach (var (name, matches, itemOverlay) in overlay.Items)
        {
            if (name == list && item.ValueKind == JsonValueKind.Object && matches(item))
            {
                match = itemOverlay;
                break;
            }
        }

        Write(writer, item, match);
    }

    /// <summary>The inventory's value over the template's: maps member by member, anything else replaced.</summary>
    private static void Merge(Utf8JsonWriter writer, JsonElement template, JsonNode? value)
    {
        if (value is not JsonObject map || template.ValueKind != JsonValueKind.Object)
        {
            WriteNode(writer, value);
            return;
        }

        writer.WriteStartObject();
        foreach (var member in template.EnumerateObject())
        {
            writer.WritePropertyName(member.Name);
            if (map.TryGetPropertyValue(member.Name, out var over))
            {
                Merge(writer, member.Value, over);
            }
            else
            {
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(member.Value), skipInputValidation: true);
            }
        }

        foreach (var (name, over) in map)
        {
            if (!template.TryGetProperty(name, out _))
            {
                writer.WritePropertyName(name);
                WriteNode(writer, over);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }
}
