using System.Text;
using System.Text.Json;

namespace KeaGitOps.Core.Addressing;

/// <summary>The kinds of identifier a Kea DHCPv4 host reservation can be made by, in Kea's default lookup order.</summary>
public enum IdentifierType
{
    HwAddress,
    Duid,
    CircuitId,
    ClientId,
    FlexId,
}

/// <summary>
/// Who a reservation is for: the one identity used wherever reservations are compared, keyed, shown or
/// diffed (rules, import, diff paths, the review). Kea reads an identifier as hex octets (separated by
/// colons or spaces, each one or two digits; or unseparated, optionally after <c>0x</c>) or as a
/// <c>'quoted'</c> string, so <c>AA:b:CC</c>, <c>aa:0b:cc</c> and <c>aa0bcc</c> are one device. The normal
/// form is lower-case two-digit octets separated by colons; a quoted string stays as written.
/// </summary>
public readonly record struct ReservationIdentity(IdentifierType Type, string Value)
{
    /// <summary>The identifier members of a Kea reservation, in Kea's default <c>host-reservation-identifiers</c> order.</summary>
    private static readonly string[] KeaNames = ["hw-address", "duid", "circuit-id", "client-id", "flex-id"];

    /// <summary>The Kea member name of this identifier: <c>hw-address</c>, <c>client-id</c>, …</summary>
    public string KeaName => KeaNameOf(Type);

    public static string KeaNameOf(IdentifierType type) => KeaNames[(int)type];

    public static IdentifierType? TypeOf(string keaName) => Array.IndexOf(KeaNames, keaName) is var i and >= 0 ? (IdentifierType)i : null;

    /// <summary>
    /// The identity Kea reads from <paramref name="text"/> for an identifier of <paramref name="type"/>, or null
    /// when Kea would refuse it. A hw-address must be 1 to 20 octets of hex (Kea's limit); the others take a
    /// quoted string too.
    /// </summary>
    public static ReservationIdentity? Parse(IdentifierType type, string text)
    {
        if (type != IdentifierType.HwAddress && text.Length >= 3 && text[0] == '\'' && text[^1] == '\'')
        {
            return new ReservationIdentity(type, text);
        }

        if (IsNormal(text))
        {
            // Already two-digit lower-case octets with colons (what the inventory's rules require of a MAC):
            // the common case, and at 100,000 reservations one not worth an allocation.
            return text.Length / 3 + 1 <= (type == IdentifierType.HwAddress ? 20 : 255) ? new ReservationIdentity(type, text) : null;
        }

        var octets = HexOctets(text);
        var maxOctets = type == IdentifierType.HwAddress ? 20 : 255;
        return octets is { Count: > 0 } && octets.Count <= maxOctets ? new ReservationIdentity(type, string.Join(':', octets)) : null;
    }

    /// <summary>The identity of a Kea reservation object (its first identifier in Kea's lookup order), or null when it has none Kea reads.</summary>
    public static ReservationIdentity? Of(JsonElement reservation)
    {
        if (reservation.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        for (var i = 0; i < KeaNames.Length; i++)
        {
            if (reservation.TryGetProperty(KeaNames[i], out var value) && value.ValueKind == JsonValueKind.String)
            {
                return Parse((IdentifierType)i, value.GetString()!);
            }
        }

        return null;
    }

    /// <summary>
    /// The client-id a DHCP client sends when it identifies itself by this hardware address (type 1,
    /// Ethernet, then the MAC: what most clients send as option 61), or null for other identifiers.
    /// </summary>
    public ReservationIdentity? AsEthernetClientId() =>
        Type == IdentifierType.HwAddress ? new ReservationIdentity(IdentifierType.ClientId, "01:" + Value) : null;

    /// <summary><c>hw-address=aa:bb:cc:dd:ee:ff</c>: the key of the reservation in diff paths and the label in messages.</summary>
    public override string ToString() => $"{KeaName}={Value}";

    private static bool IsNormal(string text)
    {
        if (text.Length < 2 || text.Length % 3 != 2)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (i % 3 == 2 ? c != ':' : !(char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Kea's reading of a hex identifier (decodeFormattedHexString), as lower-case two-digit octets; null when it is not hex.</summary>
    private static List<string>? HexOctets(string text)
    {
        var separator = text.Contains(':', StringComparison.Ordinal) ? ':' : text.Contains(' ', StringComparison.Ordinal) ? ' ' : '\0';
        var octets = new List<string>();
        if (separator != '\0')
        {
            foreach (var part in text.Split(separator))
            {
                if (part.Length is < 1 or > 2 || !part.All(char.IsAsciiHexDigit))
                {
                    return null;
                }

                octets.Add(part.Length == 1 ? "0" + char.ToLowerInvariant(part[0]) : part.ToLowerInvariant());
            }

            return octets;
        }

        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && text.Length > 2 ? text[2..] : text;
        if (!digits.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        if (digits.Length % 2 != 0)
        {
            digits = "0" + digits;
        }

        var builder = new StringBuilder(2);
        for (var i = 0; i < digits.Length; i += 2)
        {
            builder.Clear().Append(char.ToLowerInvariant(digits[i])).Append(char.ToLowerInvariant(digits[i + 1]));
            octets.Add(builder.ToString());
        }

        return octets;
    }
}
