using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Options;

namespace KeaGitOps.Core.Validation.Rules;

/// <summary>Option data at every level: known names, list-ness, and each value against the option's type.</summary>
public sealed class OptionRules : IInventoryRule
{
    public void Check(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        var catalogue = OptionCatalogue.Of(inventory);
        CheckAll(inventory.OptionData, catalogue, diagnostics);
        foreach (var network in inventory.SharedNetworks)
        {
            CheckAll(network.OptionData, catalogue, diagnostics);
        }

        foreach (var subnet in inventory.AllSubnets)
        {
            CheckAll(subnet.OptionData, catalogue, diagnostics);
            foreach (var pool in subnet.Pools)
            {
                CheckAll(pool.OptionData, catalogue, diagnostics);
            }

            foreach (var reservation in subnet.Reservations)
            {
                CheckAll(reservation.OptionData, catalogue, diagnostics);
            }
        }
    }

    private static void CheckAll(List<OptionValue> options, OptionCatalogue catalogue, DiagnosticBag diagnostics)
    {
        foreach (var option in options)
        {
            Check(option, catalogue, diagnostics);
        }
    }

    private static void Check(OptionValue option, OptionCatalogue catalogue, DiagnosticBag diagnostics)
    {
        var definition = catalogue.Find(option);
        var values = OptionCsv.Values(option, definition);
        var deliverable = Deliverable(option, values, diagnostics);
        var space = OptionCatalogue.SpaceOf(option);
        if (definition is null)
        {
            if (catalogue.Knows(space))
            {
                diagnostics.Add(DiagnosticCatalogue.OptionUnknown(option.Location, option.Name, space, Spelling.Closest(option.Name, catalogue.NamesIn(space))));
            }

            return; // Kea's DOCSIS and vendor spaces have definitions keagitops does not list: Kea checks those
        }

        if (option.Code is { } code && code != definition.Code)
        {
            diagnostics.Add(DiagnosticCatalogue.OptionCodeMismatch(option.LocationOf(nameof(OptionValue.Code)), option.Name, code, definition.Code));
        }

        if (definition.Type == OptionType.Empty)
        {
            if (values.FindIndex(v => v.Value.Length > 0) is var carried and >= 0)
            {
                diagnostics.Add(DiagnosticCatalogue.OptionValueInvalid(values[carried].Location, option.Name, values[carried].Value, "the option is defined as empty (its presence is its meaning): remove the data"));
            }

            return;
        }

        if (values.Count == 0)
        {
            diagnostics.Add(DiagnosticCatalogue.OptionValueInvalid(option.Location, option.Name, string.Empty, "a value is required"));
            return;
        }

        if (values.Count > 1 && !definition.TakesSeveralValues)
        {
            diagnostics.Add(DiagnosticCatalogue.OptionTakesOneValue(option.Location, option.Name, values.Count));
            return;
        }

        if (option.CsvFormat == false)
        {
            return; // raw hex data: Kea checks it
        }

        var fields = definition.RecordTypes;
        if (fields.Count > 0)
        {
            if (values.Count < fields.Count)
            {
                diagnostics.Add(DiagnosticCatalogue.OptionValueCount(option.Location, option.Name, values.Count, FieldsText(definition)));
                return;
            }

            if (values.Count > fields.Count && !definition.IsArray)
            {
                diagnostics.Add(DiagnosticCatalogue.OptionTakesMoreValues(option.Location, option.Name, values.Count, fields.Count));
                return;
            }
        }

        for (var i = 0; i < values.Count; i++)
        {
            var type = fields.Count == 0 ? definition.Type : fields[Math.Min(i, fields.Count - 1)];
            var value = values[i];
            if (deliverable.Contains(value) && Problem(type, value.Value) is { } problem)
            {
                diagnostics.Add(DiagnosticCatalogue.OptionValueInvalid(value.Location, option.Name, value.Value, problem));
            }
        }
    }

    /// <summary>A record's fields as a reader would count them: "5 values (ipv4-address, psid, tuple, fqdn, string)".</summary>
    private static string FieldsText(OptionDefinition definition) =>
        $"{(definition.IsArray ? "at least " : string.Empty)}{definition.RecordTypes.Count} values ({string.Join(", ", definition.RecordTypes.Select(OptionTypes.KeaName))}{(definition.IsArray ? ", the last repeated" : string.Empty)})";

    /// <summary>The values Kea delivers as written once escaped (OptionCsv); the others are reported.</summary>
    private static List<Located<string>> Deliverable(OptionValue option, List<Located<string>> values, DiagnosticBag diagnostics)
    {
        if (option.CsvFormat == false)
        {
            return values;
        }

        var deliverable = new List<Located<string>>(values.Count);
        foreach (var value in values)
        {
            if (OptionCsv.Unrepresentable(value.Value, values.Count > 1) is { } reason)
            {
                diagnostics.Add(DiagnosticCatalogue.OptionValueUnrepresentable(value.Location, option.Name, value.Value, reason));
                continue;
            }

            if (value.Value.Contains("\\,", StringComparison.Ordinal))
            {
                diagnostics.Add(DiagnosticCatalogue.OptionValueWithKeaEscape(value.Location, option.Name, value.Value));
            }

            deliverable.Add(value);
        }

        return deliverable;
    }

    private static string? Problem(OptionType type, string value) => type switch
    {
        OptionType.Record or OptionType.Internal => null, // standard compound values and Kea's own notations: Kea checks them
        OptionType.Tuple => Encoding.UTF8.GetByteCount(value) > byte.MaxValue ? "a DHCPv4 tuple holds at most 255 bytes" : null,
        _ when value.Length == 0 => "the value is empty",
        OptionType.Ipv4Address => Ipv4Address.TryParse(value, out _) ? null : "expected an IPv4 address such as 192.168.1.1",
        OptionType.Uint8 => InRange(value, 0, byte.MaxValue),
        OptionType.Uint16 => InRange(value, 0, ushort.MaxValue),
        OptionType.Uint32 => InRange(value, 0, uint.MaxValue),
        OptionType.Int8 => InRange(value, sbyte.MinValue, sbyte.MaxValue),
        OptionType.Int16 => InRange(value, short.MinValue, short.MaxValue),
        OptionType.Int32 => InRange(value, int.MinValue, int.MaxValue),
        OptionType.Ipv6Address => IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? null : "expected an IPv6 address such as 2001:db8::1",
        OptionType.Ipv6Prefix => IsIpv6Prefix(value) ? null : "expected an IPv6 prefix such as 2001:db8::/48",
        OptionType.Psid => IsPsid(value) ? null : "expected a PSID as VALUE/LENGTH (a length of 0 to 16 bits and a value that fits in it, such as 3/4)",
        OptionType.Boolean => value is "true" or "false" or "1" or "0" ? null : "expected true or false",
        OptionType.Fqdn => ReservationRules.IsDnsName(value) ? null : "expected a domain name (letters, digits, hyphens and dots)",
        OptionType.Binary => IsHex(value) ? null : "expected hexadecimal bytes (such as 0a:1b:2c, 0a 1b 2c or 0x0a1b2c)",
        OptionType.String => value.Any(char.IsControl) ? "control characters are not allowed" : null,
        _ => null,
    };

    private static bool IsIpv6Prefix(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && IPAddress.TryParse(value[..slash], out var address) && address.AddressFamily == AddressFamily.InterNetworkV6
            && byte.TryParse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length <= 128;
    }

    /// <summary>Kea's psid: "PSID/LENGTH", the PSID fitting in LENGTH bits, 0 to 16 (OptionDataTypeUtil::writePsid; any PSID with length 0).</summary>
    private static bool IsPsid(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && ushort.TryParse(value.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var psid)
            && byte.TryParse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length <= 16
            && (length is 0 or 16 || psid < 1 << length);
    }

    /// <summary>Hex bytes as Kea reads option data: an optional 0x, then digits, or groups split by ':' or ' '.</summary>
    private static bool IsHex(string value)
    {
        var digits = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? value[2..] : value;
        return digits.Split(':', ' ').All(group => group.Length > 0 && group.All(char.IsAsciiHexDigit));
    }

    /// <summary>A whole number in range, written in decimal or, as Kea also reads it, in hex (0xf0).</summary>
    private static string? InRange(string value, long min, long max)
    {
        var parsed = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number)
            : long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);
        return parsed && number >= min && number <= max ? null : $"expected a whole number from {min} to {max}";
    }
}
