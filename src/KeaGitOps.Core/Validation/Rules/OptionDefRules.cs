using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Options;

namespace KeaGitOps.Core.Validation.Rules;

/// <summary>
/// The inventory's option-def entries, checked as Kea builds them (OptionDefParser::parse and
/// OptionDefinition::validate, Kea 2.2 to 3.0.4): a definition Kea refuses stops the whole config.
/// The schema has already checked each key's type and the type names.
/// </summary>
public sealed class OptionDefRules : IInventoryRule
{
    /// <summary>Option 43 is only Kea's last-resort definition (kept outside its dhcp4 space), so a config may define it (Kea's advanced.json does).</summary>
    private const int VendorEncapsulatedOptions = 43;

    public void Check(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        var names = new Dictionary<(string, string), OptionDef>();
        var codes = new Dictionary<(string, long), OptionDef>();
        foreach (var def in inventory.OptionDefs)
        {
            var space = def.Space ?? OptionDefinitions.Dhcp4Space;
            if (Problem(def, space) is { } found)
            {
                diagnostics.Add(DiagnosticCatalogue.OptionDefinitionInvalid(def.LocationOf(found.Property), def.Name, found.Problem));
                continue;
            }

            if (!names.TryAdd((space, def.Name), def))
            {
                diagnostics.Add(DiagnosticCatalogue.OptionDefinitionInvalid(def.LocationOf(nameof(OptionDef.Name)), def.Name,
                    $"space {space} already has an option of this name (defined at {names[(space, def.Name)].Location}); rename one"));
            }
            else if (def.Code is { } code && !codes.TryAdd((space, code), def))
            {
                diagnostics.Add(DiagnosticCatalogue.OptionDefinitionInvalid(def.LocationOf(nameof(OptionDef.Code)), def.Name,
                    $"option {codes[(space, code)].Name} of space {space} already has code {code}; give this one another code"));
            }
        }
    }

    /// <summary>What Kea would refuse in the definition, and the key that says it; null when Kea builds it.</summary>
    private static (string Property, string Problem)? Problem(OptionDef def, string space)
    {
        if (!IsName(def.Name))
        {
            return (nameof(OptionDef.Name), "a name is letters, digits, '-' and '_', not starting or ending with '-' or '_'");
        }

        if (!IsName(space))
        {
            return (nameof(OptionDef.Space), $"'{space}' is not a valid space name (letters, digits, '-' and '_', not starting or ending with '-' or '_')");
        }

        if (def.Encapsulate is { Length: > 0 } encapsulate && !IsName(encapsulate))
        {
            return (nameof(OptionDef.Encapsulate), $"'{encapsulate}' is not a valid space name");
        }

        if (def.Code is { } code && space == OptionDefinitions.Dhcp4Space)
        {
            if (code is 0 or 255)
            {
                return (nameof(OptionDef.Code), $"code {code} is reserved in dhcp4 ({(code == 0 ? "PAD" : "END")}); use 1 to 254");
            }

            if (OptionDefinitions.Find(code) is { } standard && code != VendorEncapsulatedOptions)
            {
                return (nameof(OptionDef.Code), $"code {code} is the standard option {standard.Name}, which Kea does not let a config redefine in dhcp4; use a code Kea has no standard option for, or another space");
            }
        }

        if (space == OptionDefinitions.Dhcp4Space && OptionDefinitions.Find(def.Name) is { Code: not VendorEncapsulatedOptions } named)
        {
            return (nameof(OptionDef.Name), $"{def.Name} is the name of the standard option {named.Code}, which Kea does not let a config redefine in dhcp4; choose another name");
        }

        if (OptionTypes.Parse(def.Type) is not { } type)
        {
            return null; // the schema names the allowed types
        }

        var array = def.Array == true;
        if (!string.IsNullOrEmpty(def.Encapsulate))
        {
            if (array)
            {
                return (nameof(OptionDef.Encapsulate), "an array cannot encapsulate an option space; remove array or encapsulate");
            }

            if (def.Encapsulate == space)
            {
                return (nameof(OptionDef.Encapsulate), $"an option cannot encapsulate its own space ({space})");
            }
        }

        var fields = OptionCatalogue.RecordFieldNames(def).ToList();
        if (type != OptionType.Record)
        {
            if (fields.Count > 0)
            {
                return (nameof(OptionDef.RecordTypes), "record-types belong to type record only; remove them or make the type record");
            }

            return array && type is OptionType.String or OptionType.Binary or OptionType.Empty or OptionType.Internal
                ? (nameof(OptionDef.Array), $"an array of {def.Type} values cannot be told apart on the wire, so Kea refuses it")
                : null;
        }

        if (fields.Find(f => OptionTypes.Parse(f) is null) is { } unknown)
        {
            return (nameof(OptionDef.RecordTypes), $"'{unknown}' is not one of Kea's types ({string.Join(", ", OptionTypes.Names)})");
        }

        if (fields.Count < 2)
        {
            return (nameof(OptionDef.RecordTypes), "a record has at least two fields in record-types; with one, use that type instead of record");
        }

        var types = fields.Select(f => OptionTypes.Parse(f)!.Value).ToList();
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i] is OptionType.Empty or OptionType.Internal or OptionType.Record)
            {
                return (nameof(OptionDef.RecordTypes), $"a record cannot hold a field of type {fields[i]}");
            }

            if (types[i] is OptionType.String or OptionType.Binary && i < types.Count - 1)
            {
                return (nameof(OptionDef.RecordTypes), $"a {fields[i]} field can only be the last one (its length is the rest of the option)");
            }
        }

        return array && types[^1] is OptionType.String or OptionType.Binary
            ? (nameof(OptionDef.Array), $"a record whose last field is {fields[^1]} cannot be an array, since that field takes the rest of the option")
            : null;
    }

    /// <summary>Kea's names for options and spaces: letters, digits, '-' and '_', neither of those two first or last.</summary>
    private static bool IsName(string name) =>
        name.Length > 0
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
        && name[0] is not ('-' or '_') && name[^1] is not ('-' or '_');
}
