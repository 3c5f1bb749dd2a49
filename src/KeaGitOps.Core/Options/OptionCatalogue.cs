using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Options;

/// <summary>
/// The option definitions an inventory's option-data is read against, as Kea finds them: the standard
/// DHCPv4 options, then the inventory's own <c>option-def</c> entries. One per inventory, asked for every
/// option (100,000 reservations may each carry some), so lookups are dictionary hits.
/// </summary>
public sealed class OptionCatalogue
{
    private readonly Dictionary<(string Space, string Name), OptionDefinition> _byName = [];
    private readonly Dictionary<(string Space, long Code), OptionDefinition> _byCode = [];
    private readonly HashSet<string> _customSpaces = new(StringComparer.Ordinal);

    private OptionCatalogue(IEnumerable<OptionDefinition> custom)
    {
        foreach (var definition in OptionDefinitions.Standard)
        {
            Add(definition);
        }

        var seen = new HashSet<(string, string)>();
        foreach (var definition in custom)
        {
            // The first definition of a name is Kea's (a second is OptionDefRules' finding); it replaces a
            // standard one only where Kea lets it, option 43 (OptionDefRules refuses the others).
            _customSpaces.Add(definition.Space);
            if (seen.Add((definition.Space, definition.Name)))
            {
                Add(definition);
            }
        }
    }

    /// <summary>Kea's standard options only (an inventory without option-def).</summary>
    public static OptionCatalogue Standard { get; } = new([]);

    public static OptionCatalogue Of(InventoryModel inventory) =>
        inventory.OptionDefs.Count == 0 ? Standard : new(inventory.OptionDefs.Select(Definition).OfType<OptionDefinition>());

    /// <summary>
    /// The definition an inventory option-def entry makes, or null when Kea could not make one from it
    /// (a missing name, code or known type: OptionDefRules says which).
    /// </summary>
    public static OptionDefinition? Definition(OptionDef def)
    {
        if (def.Name.Length == 0 || def.Code is not { } code || code is < 0 or > 255 || OptionTypes.Parse(def.Type) is not { } type)
        {
            return null;
        }

        var fields = new List<OptionType>();
        foreach (var field in RecordFieldNames(def))
        {
            if (OptionTypes.Parse(field) is not { } fieldType)
            {
                return null;
            }

            fields.Add(fieldType);
        }

        return new OptionDefinition((int)code, def.Name, type, def.Array == true)
        {
            Space = def.Space ?? OptionDefinitions.Dhcp4Space,
            RecordTypes = type == OptionType.Record ? fields : [],
            Encapsulate = string.IsNullOrEmpty(def.Encapsulate) ? null : def.Encapsulate,
        };
    }

    /// <summary>record-types as Kea splits it: at commas, each name trimmed, empty ones dropped.</summary>
    public static IEnumerable<string> RecordFieldNames(OptionDef def) =>
        (def.RecordTypes ?? string.Empty).Split(',').Select(t => t.Trim()).Where(t => t.Length > 0);

    /// <summary>The definition an option-data entry names (by space and name), or null.</summary>
    public OptionDefinition? Find(OptionValue option) => _byName.GetValueOrDefault((SpaceOf(option), option.Name));

    /// <summary>The definition with this code in this space, as Kea finds an option given by code alone.</summary>
    public OptionDefinition? Find(string space, long code) => _byCode.GetValueOrDefault((space, code));

    /// <summary>
    /// Whether keagitops knows every option of this space, so that a name it does not know is an error:
    /// dhcp4, and every space the inventory defines options in. Other spaces (Kea's DOCSIS and vendor
    /// spaces) have definitions built into Kea that keagitops does not list.
    /// </summary>
    public bool Knows(string space) => space == OptionDefinitions.Dhcp4Space || _customSpaces.Contains(space);

    /// <summary>The option names defined in a space (for "did you mean").</summary>
    public IEnumerable<string> NamesIn(string space) => _byName.Keys.Where(k => k.Space == space).Select(k => k.Name);

    public static string SpaceOf(OptionValue option) => option.Space ?? OptionDefinitions.Dhcp4Space;

    private void Add(OptionDefinition definition)
    {
        _byName[(definition.Space, definition.Name)] = definition;
        _byCode[(definition.Space, definition.Code)] = definition;
    }
}
