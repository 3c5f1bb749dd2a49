using System.Globalization;

namespace KeaGitOps.Core.Addressing;

/// <summary>
/// An IPv4 address as a number, so that containment and overlap checks over 100,000 reservations are
/// integer comparisons. Parsing is strict dotted-quad (System.Net also takes "10.1" or "0x0a000001").
/// </summary>
public readonly record struct Ipv4Address(uint Value)
{
    public static bool TryParse(string? text, out Ipv4Address address) => TryParse(text.AsSpan(), out address);

    public static bool TryParse(ReadOnlySpan<char> text, out Ipv4Address address)
    {
        address = default;
        uint value = 0;
        var octets = 0;
        var digits = 0;
        var octet = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (digits == 0 || ++octets > 3)
                {
                    return false;
                }

                value = (value << 8) | (uint)octet;
                digits = octet = 0;
            }
            else if (char.IsAsciiDigit(c) && digits < 3)
            {
                octet = (octet * 10) + (c - '0');
                digits++;
                if (octet > 255)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        if (octets != 3 || digits == 0)
        {
            return false;
        }

        address = new Ipv4Address((value << 8) | (uint)octet);
        return true;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Value >> 24}.{(Value >> 16) & 0xFF}.{(Value >> 8) & 0xFF}.{Value & 0xFF}");
}

/// <summary>An inclusive range of IPv4 addresses.</summary>
public readonly record struct Ipv4Range(Ipv4Address First, Ipv4Address Last)
{
    public ulong Size => (ulong)Last.Value - First.Value + 1;

    public bool Contains(Ipv4Address address) => address.Value >= First.Value && address.Value <= Last.Value;

    public bool Contains(Ipv4Range other) => Contains(other.First) && Contains(other.Last);

    public bool Overlaps(Ipv4Range other) => First.Value <= other.Last.Value && other.First.Value <= Last.Value;

    /// <summary>
    /// The two halves a load-balancing pair serves (Kea ARM, hooks-ha): the lower one is the larger when
    /// the size is odd. A one-address range has no upper half to give (null).
    /// </summary>
    public (Ipv4Range Lower, Ipv4Range Upper)? Halves()
    {
        if (Size < 2)
        {
            return null;
        }

        var lowerLast = new Ipv4Address((uint)(First.Value + ((Size + 1) / 2) - 1));
        return (new Ipv4Range(First, lowerLast), new Ipv4Range(new Ipv4Address(lowerLast.Value + 1), Last));
    }

    /// <summary>What is left of this range once <paramref name="excluded"/> (any order, duplicates allowed) are taken out.</summary>
    public List<Ipv4Range> Without(IEnumerable<Ipv4Address> excluded)
    {
        var left = new List<Ipv4Range>();
        var next = (ulong)First.Value;
        foreach (var address in excluded.Where(Contains).Select(a => a.Value).Distinct().Order())
        {
            if (address > next)
            {
                left.Add(new Ipv4Range(new Ipv4Address((uint)next), new Ipv4Address(address - 1)));
            }

            next = (ulong)address + 1;
        }

        if (next <= Last.Value)
        {
            left.Add(new Ipv4Range(new Ipv4Address((uint)next), Last));
        }

        return left;
    }

    /// <summary>Kea's pool syntax: "FIRST - LAST".</summary>
    public override string ToString() => $"{First} - {Last}";

    /// <summary>Reads a pool as Kea writes it: "A - B" (spaces optional) or a prefix "A/N".</summary>
    public static bool TryParsePool(string text, out Ipv4Range range)
    {
        range = default;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            if (!Ipv4Address.TryParse(text[..dash].Trim(), out var first) || !Ipv4Address.TryParse(text[(dash + 1)..].Trim(), out var last) || first.Value > last.Value)
            {
                return false;
            }

            range = new Ipv4Range(first, last);
            return true;
        }

        if (Ipv4Prefix.TryParse(text.Trim(), out var prefix, out var canonical) && canonical)
        {
            range = prefix.Range;
            return true;
        }

        return false;
    }
}

/// <summary>A subnet prefix such as 192.168.1.0/24.</summary>
public readonly record struct Ipv4Prefix(Ipv4Address Network, int Length)
{
    public Ipv4Range Range => new(Network, new Ipv4Address(Network.Value | HostMask(Length)));

    public override string ToString() => $"{Network}/{Length.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Parses "A.B.C.D/N". <paramref name="isCanonical"/> is false when host bits are set; the prefix
    /// returned is then the network the user most likely meant.
    /// </summary>
    public static bool TryParse(string text, out Ipv4Prefix prefix, out bool isCanonical)
    {
        prefix = default;
        isCanonical = false;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0
            || !Ipv4Address.TryParse(text[..slash], out var address)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || length is < 0 or > 32)
        {
            return false;
        }

        var network = new Ipv4Address(address.Value & ~HostMask(length));
        prefix = new Ipv4Prefix(network, length);
        isCanonical = network == address;
        return true;
    }

    private static uint HostMask(int length) => length == 0 ? uint.MaxValue : (1u << (32 - length)) - 1;
}
