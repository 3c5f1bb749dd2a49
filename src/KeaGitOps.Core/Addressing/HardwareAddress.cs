using System.Text.RegularExpressions;

namespace KeaGitOps.Core.Addressing;

/// <summary>Ethernet MACs and DHCP client identifiers in the forms Kea reads.</summary>
public static partial class HardwareAddress
{
    /// <summary>Lower-case, colon-separated: the form rendered into configs and used to find duplicates.</summary>
    public static string? NormaliseMac(string text) => MacPattern().IsMatch(text) ? text.ToLowerInvariant() : null;

    /// <summary>Explains what is wrong with a MAC and what it should look like, or null when it is fine.</summary>
    public static string? DescribeMacProblem(string text)
    {
        if (MacPattern().IsMatch(text))
        {
            return null;
        }

        var hex = new string(text.Where(char.IsAsciiHexDigit).ToArray());
        var suggestion = hex.Length == 12 && text.Length is 12 or 14 or 17
            ? $"; write it as '{string.Join(':', Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2))).ToLowerInvariant()}'"
            : string.Empty;
        if (text.Contains('-', StringComparison.Ordinal))
        {
            return $"uses hyphens: Kea needs colons{suggestion}";
        }

        if (text.Contains('.', StringComparison.Ordinal))
        {
            return $"uses dots: Kea needs six colon-separated octets{suggestion}";
        }

        return hex.Length != 12 && text.All(c => char.IsAsciiHexDigit(c) || c == ':')
            ? $"has {hex.Length / 2.0:0.#} octets where an Ethernet address has 6 (write six two-digit hex octets separated by colons)"
            : $"is not six two-digit hex octets separated by colons{suggestion}";
    }

    /// <summary>Kea takes a client-id as hex octets (colons optional) or as a 'quoted' string.</summary>
    public static string? NormaliseClientId(string text)
    {
        if (QuotedClientId().IsMatch(text))
        {
            return text;
        }

        return HexClientId().IsMatch(text) && text.Count(char.IsAsciiHexDigit) is >= 4 and <= 510
            ? text.Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant()
            : null;
    }

    /// <summary>
    /// The MAC a client-id (as <see cref="NormaliseClientId"/> returns it) is built from, with how, or
    /// null when it is not built from one. The forms are the ones clients send: the Ethernet type 01 and
    /// the MAC (ISC dhclient, Windows, most embedded stacks), the bare MAC (some embedded stacks), and RFC
    /// 4361's ff, IAID, DUID, where the DUID is DUID-LL or DUID-LLT of the MAC (systemd-networkd, dhcpcd,
    /// NetworkManager when told to).
    /// </summary>
    public static (string Mac, string Derivation)? MacInClientId(string normalisedClientId)
    {
        var hex = normalisedClientId;
        if (hex.StartsWith('\'') || !hex.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        var (mac, how) = hex.Length switch
        {
            14 when hex.StartsWith("01", StringComparison.Ordinal) => (hex[2..], "behind the Ethernet type 01, the client-id most clients send"),
            12 => (hex, "itself, as clients that send their MAC as client-id without the type byte do"),
            30 when hex.StartsWith("ff", StringComparison.Ordinal) && hex[10..18] == "00030001" => (hex[18..], "inside an RFC 4361 client-id (ff, IAID, DUID-LL), as systemd-networkd and dhcpcd send"),
            38 when hex.StartsWith("ff", StringComparison.Ordinal) && hex[10..18] == "00010001" => (hex[26..], "inside an RFC 4361 client-id (ff, IAID, DUID-LLT), as systemd-networkd and dhcpcd send"),
            _ => (null, string.Empty),
        };
        return mac is null ? null : (string.Join(':', Enumerable.Range(0, 6).Select(i => mac.Substring(i * 2, 2))), how);
    }

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$", RegexOptions.CultureInvariant)]
    private static partial Regex MacPattern();

    [GeneratedRegex("^([0-9A-Fa-f]{2})(:?[0-9A-Fa-f]{2})*$", RegexOptions.CultureInvariant)]
    private static partial Regex HexClientId();

    [GeneratedRegex("^'[^'\\x00-\\x1f]{2,}'$", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedClientId();
}
