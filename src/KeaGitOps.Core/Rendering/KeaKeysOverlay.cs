using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Kea;

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
    private const string ClientClasses = "client-classes";

    /// <summary>Members merged into this object.</summary>
    public JsonObject Members { get; } = [];

    /// <summary>Lists whose items are added after the template's items (or become the list when the template has none).</summary>
    public Dictionary<string, JsonArray> Appended { get; } = new(StringComparer.Ordinal);

    /// <summary>Overlays for objects nested under a member.</summary>
    public Dictionary<string, KeaKeysOverlay> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>Overlays for the items of a list member that match (a subnet by its id, the HA hook by its library).</summary>
    public List<(string List, Func<JsonElement, bool> Matches, KeaKeysOverlay Overlay)> Items { get; } = [];

    public bool IsEmpty => Members.Count == 0 && Appended.Count == 0 && Children.Values.All(c => c.IsEmpty) && Items.All(i => i.Overlay.IsEmpty);

    /// <summary>
    /// The overlays of an inventory, by output file: where each typed section's Kea keys go in Kea's config
    /// (the top level and control-socket and lease-database in Dhcp4, a shared network by its name, a subnet by its id, the relationship
    /// in the HA hook's parameters, the agent's own map). The same for every server.
    /// </summary>
    public static IReadOnlyDictionary<string, KeaKeysOverlay> For(InventoryModel inventory) =>
        new Dictionary<string, KeaKeysOverlay>(StringComparer.Ordinal)
        {
            [TemplateSet.Dhcp4] = Dhcp4Overlay(inventory),
            [TemplateSet.ControlAgent] = ControlAgentOverlay(inventory),
        };

    private static KeaKeysOverlay Dhcp4Overlay(InventoryModel inventory)
    {
        var dhcp4 = new KeaKeysOverlay();
        foreach (var (key, node) in inventory.KeaKeys)
        {
            var value = KeaKeysJson.Value(node);
            if (key.Value == "hooks-libraries" && value is JsonArray hooks)
            {
                dhcp4.Appended[key.Value] = hooks;
            }
            else
            {
                dhcp4.Members[key.Value] = value;
            }
        }

        // The classes combined for class-restricted pools come after the inventory's own, which they name.
        if (PoolClasses.Of(inventory) is { Count: > 0 } combined)
        {
            var classes = dhcp4.Members.TryGetPropertyValue(ClientClasses, out var own) && own is JsonArray list ? list : [];
            dhcp4.Members.Remove(ClientClasses);
            foreach (var definition in combined)
            {
                classes.Add(definition.Definition());
            }

            dhcp4.Appended[ClientClasses] = classes;
        }

        AddMap(dhcp4, "control-socket", inventory.ControlSocket.KeaKeys);
        AddMap(dhcp4, "lease-database", inventory.LeaseDatabase.KeaKeys);
        AddSubnets(dhcp4, inventory.Subnets);
        foreach (var network in inventory.SharedNetworks)
        {
            var overlay = new KeaKeysOverlay();
            AddMembers(overlay, network.KeaKeys);
            AddSubnets(overlay, network.Subnets);
            var name = network.Name;
            dhcp4.Items.Add(("shared-networks", item => item.TryGetProperty("name", out var itemName) && itemName.ValueKind == JsonValueKind.String && itemName.ValueEquals(name), overlay));
        }

        AddRelationship(dhcp4, inventory.HighAvailability.KeaKeys);
        return Root("Dhcp4", dhcp4);
    }

    /// <summary>
    /// One server's own Kea keys (servers[].dhcp4, .high-availability, .control-agent), by output file, laid
    /// over that server's configs after the pair's overlay. Empty overlays when it declares none.
    /// </summary>
    public static IReadOnlyDictionary<string, KeaKeysOverlay> ForServer(Server server)
    {
        var dhcp4 = new KeaKeysOverlay();
        AddMembers(dhcp4, server.Dhcp4?.KeaKeys ?? []);
        AddRelationship(dhcp4, server.HighAvailability?.KeaKeys ?? []);
        var agent = new KeaKeysOverlay();
        AddMembers(agent, server.ControlAgent?.KeaKeys ?? []);
        return new Dictionary<string, KeaKeysOverlay>(StringComparer.Ordinal)
        {
            [TemplateSet.Dhcp4] = Root("Dhcp4", dhcp4),
            [TemplateSet.ControlAgent] = Root("Control-agent", agent),
        };
    }

    private static KeaKeysOverlay Root(string name, KeaKeysOverlay overlay)
    {
        var root = new KeaKeysOverlay();
        root.Children[name] = overlay;
        return root;
    }

    /// <summary>The HA relationship's keys, over the relationship in the HA hook's parameters.</summary>
    private static void AddRelationship(KeaKeysOverlay dhcp4, IReadOnlyList<MappingEntry> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var relationship = new KeaKeysOverlay();
        AddMembers(relationship, keys);
        var hook = new KeaKeysOverlay();
        hook.Child("parameters").Items.Add(("high-availability", _ => true, relationship));
        dhcp4.Items.Add(("hooks-libraries", item => item.TryGetProperty("library", out var library) && library.ValueKind == JsonValueKind.String
            && KeaHooks.FileName(library.GetString()!) == KeaHooks.HighAvailability, hook));
    }

    /// <summary>Each subnet's Kea keys, over the subnet4 item with its id (ids are unique across the inventory).</summary>
    private static void AddSubnets(KeaKeysOverlay parent, List<Subnet> subnets)
    {
        foreach (var subnet in subnets)
        {
            if (subnet.KeaKeys.Count > 0 && subnet.Id is { } id)
            {
                var overlay = new KeaKeysOverlay();
                AddMembers(overlay, subnet.KeaKeys);
                parent.Items.Add(("subnet4", item => item.TryGetProperty("id", out var itemId) && itemId.TryGetInt64(out var value) && value == id, overlay));
            }
        }
    }

    private static KeaKeysOverlay ControlAgentOverlay(InventoryModel inventory)
    {
        var agent = new KeaKeysOverlay();
        AddMembers(agent, inventory.ControlAgent.KeaKeys);
        return Root("Control-agent", agent);
    }

    private static void AddMembers(KeaKeysOverlay overlay, IReadOnlyList<MappingEntry> keys)
    {
        foreach (var (key, value) in keys)
        {
            overlay.Members[key.Value] = KeaKeysJson.Value(value);
        }
    }

    /// <summary>A typed section's Kea keys, merged into the map the template writes for it.</summary>
    private static void AddMap(KeaKeysOverlay overlay, string member, IReadOnlyList<MappingEntry> keys)
    {
        if (keys.Count > 0)
        {
            overlay.Members[member] = KeaKeysJson.Object(keys);
        }
    }

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
