using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diagnostics;

namespace KeaGitOps.Core.Inventory;

/// <summary>
/// Turns the located YAML tree into the typed model. It is lenient by design: a value of the wrong
/// shape is skipped and left at its default, because the schema has already reported it with its
/// location; binding never throws on user input, so the semantic rules can still run on the rest.
/// </summary>
public static class ModelBinder
{
    private const string OptionDataKey = "option-data";

    private static readonly ConcurrentDictionary<Type, Dictionary<string, PropertyInfo>> KeyedProperties = new();
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Sections = new();

    public static InventoryModel Bind(MappingNode root) => (InventoryModel)BindObject(typeof(InventoryModel), root);

    /// <summary>Every YAML key a model type reads, with its property: used by the binder and by the schema test.</summary>
    public static IReadOnlyDictionary<string, PropertyInfo> KeysOf(Type type) =>
        KeyedProperties.GetOrAdd(type, t => t.GetProperties()
            .Select(p => (Property: p, Key: p.GetCustomAttribute<KeyAttribute>()))
            .Where(x => x.Key is not null)
            .ToDictionary(x => x.Key!.Name, x => x.Property, StringComparer.Ordinal));

    private static ModelObject BindObject(Type type, MappingNode mapping) =>
        type == typeof(Reservation) ? BindReservation(mapping) : BindObjectByReflection(type, mapping);

    /// <summary>The general binder: reflection over the model type's [Key] properties.</summary>
    internal static ModelObject BindObjectByReflection(Type type, MappingNode mapping)
    {
        var target = (ModelObject)Activator.CreateInstance(type)!;
        target.Location = mapping.Location;
        var keys = KeysOf(type);
        var takesKeaKeys = TakesKeaKeys(type);
        var fields = new (string, SourceLocation)[mapping.Entries.Count];
        var count = 0;
        List<MappingEntry>? keaKeys = null;
        foreach (var entry in mapping.Entries)
        {
            var (key, valueNode) = entry;
            if (!keys.TryGetValue(key.Value, out var property))
            {
                if (takesKeaKeys)
                {
                    (keaKeys ??= []).Add(entry);
                }

                continue;
            }

            fields[count++] = (property.Name, valueNode.Location);
            var value = key.Value == OptionDataKey ? BindOptionData(valueNode) : Convert(property.PropertyType, valueNode);
            if (value is not null)
            {
                property.SetValue(target, value);
            }
        }

        target.SetFieldLocations(count == fields.Length ? fields : fields[..count]);
        target.KeaKeys = keaKeys ?? target.KeaKeys;
        PlaceOmittedSections(target, mapping.Location);
        return target;
    }

    private static readonly ConcurrentDictionary<Type, bool> KeaScoped = new();

    /// <summary>Whether a model type's mapping may also hold Kea's own keys (<see cref="KeaScopeAttribute"/>).</summary>
    public static bool TakesKeaKeys(Type type) => KeaScoped.GetOrAdd(type, t => t.GetCustomAttribute<KeaScopeAttribute>() is not null);

    /// <summary>
    /// Reservations are nearly all of a large inventory, so they are bound without reflection: the same
    /// keys, conversions and field locations as <see cref="BindObjectByReflection"/> (a test compares the two).
    /// </summary>
    internal static Reservation BindReservation(MappingNode mapping)
    {
        var target = new Reservation { Location = mapping.Location };
        var fields = new (string, SourceLocation)[mapping.Entries.Count];
        var count = 0;
        List<MappingEntry>? keaKeys = null;
        foreach (var entry in mapping.Entries)
        {
            var (key, valueNode) = entry;
            var scalar = valueNode as ScalarNode;
            var text = scalar is { Kind: ScalarKind.String } ? scalar.Value : null;
            string property;
            switch (key.Value)
            {
                case "hw-address":
                    property = nameof(Reservation.HwAddress);
                    target.HwAddress = text ?? target.HwAddress;
                    break;
                case "client-id":
                    property = nameof(Reservation.ClientId);
                    target.ClientId = text ?? target.ClientId;
                    break;
                case "duid":
                    property = nameof(Reservation.Duid);
                    target.Duid = text ?? target.Duid;
                    break;
                case "circuit-id":
                    property = nameof(Reservation.CircuitId);
                    target.CircuitId = text ?? target.CircuitId;
                    break;
                case "flex-id":
                    property = nameof(Reservation.FlexId);
                    target.FlexId = text ?? target.FlexId;
                    break;
                case "hostname":
                    property = nameof(Reservation.Hostname);
                    target.Hostname = text ?? target.Hostname;
                    break;
                case "comment":
                    property = nameof(Reservation.Comment);
                    target.Comment = text ?? target.Comment;
                    break;
                case "ip-address":
                    property = nameof(Reservation.IpAddress);
                    if (scalar is not null && Ipv4Address.TryParse(scalar.Value, out var address))
                    {
                        target.IpAddress = address;
                    }

                    break;
                case OptionDataKey:
                    property = nameof(Reservation.OptionData);
                    target.OptionData = BindOptionData(valueNode) ?? target.OptionData;
                    break;
                default:
                    (keaKeys ??= []).Add(entry);
                    continue;
            }

            fields[count++] = (property, valueNode.Location);
        }

        target.SetFieldLocations(count == fields.Length ? fields : fields[..count]);
        target.KeaKeys = keaKeys ?? target.KeaKeys;
        return target;
    }

    /// <summary>
    /// A section left out keeps its defaults (control-agent's port 8000, say); a finding about such a
    /// default points at the mapping the section would be written in, never at an empty location.
    /// </summary>
    private static void PlaceOmittedSections(ModelObject target, SourceLocation parent)
    {
        foreach (var property in SectionsOf(target.GetType()))
        {
            if (property.GetValue(target) is ModelObject { Location.File: null } omitted)
            {
                omitted.Location = parent;
            }
        }
    }

    private static PropertyInfo[] SectionsOf(Type type) =>
        Sections.GetOrAdd(type, t => KeysOf(t).Values.Where(p => typeof(ModelObject).IsAssignableFrom(p.PropertyType)).ToArray());

    private static object? Convert(Type type, Node node)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(Pool))
        {
            return BindPool(node);
        }

        if (node is MappingNode mapping)
        {
            return typeof(ModelObject).IsAssignableFrom(underlying) ? BindObject(underlying, mapping) : null;
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(List<>))
        {
            return BindList(underlying, node);
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(Located<>))
        {
            var inner = Convert(underlying.GetGenericArguments()[0], node);
            return inner is null ? null : Activator.CreateInstance(underlying, inner, node.Location);
        }

        return node is ScalarNode scalar ? ConvertScalar(underlying, scalar) : null;
    }

    private static IList? BindList(Type listType, Node node)
    {
        var itemType = listType.GetGenericArguments()[0];
        var list = (IList)Activator.CreateInstance(listType)!;
        // A single scalar where a list of scalars is expected (reservations-from: reservations/) is one item.
        IEnumerable<Node> items = node switch
        {
            SequenceNode sequence => sequence.Items,
            ScalarNode scalar when itemType.IsGenericType && scalar.Kind != ScalarKind.Null => [scalar],
            _ => [],
        };
        foreach (var item in items)
        {
            if (Convert(itemType, item) is { } value)
            {
                list.Add(value);
            }
        }

        return list;
    }

    private static object? ConvertScalar(Type type, ScalarNode scalar)
    {
        if (type == typeof(string))
        {
            // Option values are text whatever YAML typed them as; everything else must be a string.
            return scalar.Kind == ScalarKind.String ? scalar.Value : null;
        }

        if (type == typeof(long))
        {
            return scalar.TryGetInteger(out var number) ? number : null;
        }

        if (type == typeof(bool))
        {
            return scalar.TryGetBoolean(out var flag) ? flag : null;
        }

        if (type == typeof(Ipv4Address))
        {
            return Ipv4Address.TryParse(scalar.Value, out var address) ? address : null;
        }

        if (type == typeof(KeaVersion))
        {
            return KeaVersions.Parse(scalar.Value);
        }

        if (type.IsEnum)
        {
            return Enum.TryParse(type, scalar.Value.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var member)
                && scalar.Value.All(c => char.IsAsciiLetterLower(c) || c == '-')
                ? member
                : null;
        }

        return null;
    }

    /// <summary>A pool is a string (the range) or a mapping with the range under <c>pool</c> and the pool's settings.</summary>
    private static Pool? BindPool(Node node)
    {
        switch (node)
        {
            case ScalarNode { Kind: ScalarKind.String } text:
                return Pool.Of(new Located<string>(text.Value, text.Location));
            case MappingNode mapping:
                var pool = (Pool)BindObject(typeof(Pool), mapping);
                if (pool.Range.Location.File is null)
                {
                    pool.Range = new Located<string>(pool.Range.Value, mapping.Location); // no pool: key (the schema says so); findings point at the mapping
                }

                return pool;
            default:
                return null;
        }
    }

    /// <summary>option-data is a mapping from option name to a value, a list, or the long form.</summary>
    private static List<OptionValue>? BindOptionData(Node node)
    {
        if (node is not MappingNode mapping)
        {
            return null;
        }

        var options = new List<OptionValue>(mapping.Entries.Count);
        foreach (var (key, value) in mapping.Entries)
        {
            var option = value is MappingNode longForm ? (OptionValue)BindObject(typeof(OptionValue), longForm) : new OptionValue { Location = key.Location };
            option.Name = key.Value;
            option.Location = key.Location;
            var data = value is MappingNode form ? form.Find("data")?.Value : value;
            option.IsList = data is SequenceNode;
            option.Values = data switch
            {
                ScalarNode { Kind: not ScalarKind.Null } one => [new Located<string>(one.Value, one.Location)],
                SequenceNode many => many.Items.OfType<ScalarNode>().Select(s => new Located<string>(s.Value, s.Location)).ToList(),
                _ => option.Values,
            };
            options.Add(option);
        }

        return options;
    }
}
