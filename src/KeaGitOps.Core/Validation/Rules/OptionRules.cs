using System.Globalization;
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
        CheckAll(inventory.OptionData, diagnostics);
        foreach (var network in inventory.SharedNetworks)
        {
            CheckAll(network.OptionData, diagnostics);
        }

        foreach (var subnet in inventory.AllSubnets)
        {
            CheckAll(subnet.OptionData, diagnostics);
            foreach (var reservation in subnet.Reservations)
            {
                CheckAll(reservation.OptionData, diagnostics);
            }
        }
    }

    private static void CheckAll(List<OptionValue> options, DiagnosticBag diagnostics)
    {
        foreach (var option in options)
        {
            Check(option, diagnostics);
        }
    }

    private static void Check(OptionValue option, DiagnosticBag diagnostics)
    {
        var values = OptionCsv.Values(option);
        var deliverable = Deliverable(option, values, diagnostics);
        if (option.Space is { } space && space != "dhcp4")
        {
            return; // vendor and custom spaces need option definitions Kea reads elsewhere: not ours to judge
        }

        if (OptionDefinitions.Find(option.Name) is not { } definition)
        {
            diagnostics.Add(DiagnosticCatalogue.OptionUnknown(option.Location, option.Name));
            return;
        }

        if (option.Code is { } code && code != definition.Code)
        {
            diagnostics.Add(DiagnosticCatalogue.OptionCodeMismatch(option.LocationOf(nameof(OptionValue.Code)), option.Name, code, definition.Code));
        }

        if (values.Count == 0)
        {
            diagnostics.Add(DiagnosticCatalogue.OptionValueInvalid(option.Location, option.Name, string.Empty, "a value is required"));
            return;
        }

        if (values.Count > 1 && !definition.IsArray && definition.Type != OptionType.Record)
        {
            diagnostics.Add(DiagnosticCatalogue.OptionTakesOneValue(option.Location, option.Name, values.Count));
            return;
        }

        if (option.CsvFormat == false)
        {
            return; // raw hex data: Kea checks it
        }

        foreach (var value in deliverable)
        {
            if (Problem(definition.Type, value.Value) is { } problem)
            {
                diagnostics.Add(DiagnosticCatalogue.OptionValueInvalid(value.Location, option.Name, value.Value, problem));
            }
        }
    }

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
        OptionType.Record => null, // compound values: Kea checks them
        _ when value.Length == 0 => "the value is empty",
        OptionType.Ipv4Address => Ipv4Address.TryParse(value, out _) ? null : "expected an IPv4 address such as 192.168.1.1",
        OptionType.Uint8 => InRange(value, 0, byte.MaxValue),
        OptionType.Uint16 => InRange(value, 0, ushort.MaxValue),
        OptionType.Uint32 => InRange(value, 0, uint.MaxValue),
        OptionType.Int32 => InRange(value, int.MinValue, int.MaxValue),
        OptionType.Boolean => value is "true" or "false" or "1" or "0" ? null : "expected true or false",
        OptionType.Fqdn => ReservationRules.IsDnsName(value) ? null : "expected a domain name (letters, digits, hyphens and dots)",
        OptionType.Binary => IsHex(value) ? null : "expected hexadecimal bytes (such as 0a:1b:2c, 0a 1b 2c or 0x0a1b2c)",
        OptionType.String => value.Any(char.IsControl) ? "control characters are not allowed" : null,
        _ => null,
    };

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
