using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace KeaGitOps.Tests.Wire;

/// <summary>DHCPv4 message types (RFC 2132 option 53).</summary>
public enum DhcpMessageType : byte
{
    Discover = 1,
    Offer = 2,
    Request = 3,
    Decline = 4,
    Ack = 5,
    Nak = 6,
}

/// <summary>
/// A BOOTP/DHCPv4 message (RFC 2131) with its options by code, as a client builds it and as it decodes
/// a server's answer. Options split over several instances of one code are joined (RFC 3396), so a
/// value arrives whole or the test says why not.
/// </summary>
public sealed class DhcpPacket
{
    private const int FixedLength = 236;
    private static readonly byte[] MagicCookie = [99, 130, 83, 99];

    public byte Op { get; init; } = 1;
    public uint TransactionId { get; init; }
    public ushort Flags { get; init; }
    public IPAddress ClientAddress { get; init; } = IPAddress.Any;
    public IPAddress YourAddress { get; init; } = IPAddress.Any;
    public IPAddress ServerAddress { get; init; } = IPAddress.Any;
    public byte[] HardwareAddress { get; init; } = new byte[6];
    public IReadOnlyDictionary<byte, byte[]> Options { get; init; } = new Dictionary<byte, byte[]>();

    public DhcpMessageType? MessageType => Options.TryGetValue(53, out var type) && type.Length == 1 ? (DhcpMessageType)type[0] : null;

    /// <summary>A client's message, broadcast flag set so the server answers to 255.255.255.255 (the client has no address yet).</summary>
    public static DhcpPacket Client(DhcpMessageType type, uint transactionId, byte[] hardwareAddress, IReadOnlyList<byte> requested, IReadOnlyDictionary<byte, byte[]>? extra = null)
    {
        var options = new Dictionary<byte, byte[]> { [53] = [(byte)type], [55] = [.. requested] };
        foreach (var (code, value) in extra ?? new Dictionary<byte, byte[]>())
        {
            options[code] = value;
        }

        return new DhcpPacket { TransactionId = transactionId, Flags = 0x8000, HardwareAddress = hardwareAddress, Options = options };
    }

    public byte[] Encode()
    {
        var bytes = new List<byte>(FixedLength + 64);
        var fixedPart = new byte[FixedLength];
        fixedPart[0] = Op;
        fixedPart[1] = 1; // Ethernet
        fixedPart[2] = (byte)HardwareAddress.Length;
        BinaryPrimitives.WriteUInt32BigEndian(fixedPart.AsSpan(4), TransactionId);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(10), Flags);
        ClientAddress.GetAddressBytes().CopyTo(fixedPart, 12);
        YourAddress.GetAddressBytes().CopyTo(fixedPart, 16);
        ServerAddress.GetAddressBytes().CopyTo(fixedPart, 20);
        HardwareAddress.CopyTo(fixedPart, 28);
        bytes.AddRange(fixedPart);
        bytes.AddRange(MagicCookie);
        foreach (var (code, value) in Options)
        {
            for (var offset = 0; offset == 0 || offset < value.Length; offset += 255)
            {
                var piece = value.AsSpan(offset, Math.Min(255, value.Length - offset));
                bytes.Add(code);
                bytes.Add((byte)piece.Length);
                bytes.AddRange(piece);
            }
        }

        bytes.Add(255);
        while (bytes.Count < 300)
        {
            bytes.Add(0); // BOOTP's minimum size: some servers drop shorter messages
        }

        return [.. bytes];
    }

    public static DhcpPacket Decode(ReadOnlySpan<byte> message)
    {
        if (message.Length < FixedLength + MagicCookie.Length || !message.Slice(FixedLength, MagicCookie.Length).SequenceEqual(MagicCookie))
        {
            throw new FormatException($"not a DHCP message ({message.Length} bytes, no magic cookie)");
        }

        var hardwareLength = Math.Min((int)message[2], 16);
        var options = new Dictionary<byte, byte[]>();
        var at = FixedLength + MagicCookie.Length;
        while (at < message.Length)
        {
            var code = message[at++];
            if (code == 0)
            {
                continue;
            }

            if (code == 255)
            {
                break;
            }

            if (at >= message.Length || at + 1 + message[at] > message.Length)
            {
                throw new FormatException($"option {code} runs past the end of the message");
            }

            var value = message.Slice(at + 1, message[at]);
            options[code] = options.TryGetValue(code, out var earlier) ? [.. earlier, .. value.ToArray()] : value.ToArray();
            at += 1 + value.Length;
        }

        return new DhcpPacket
        {
            Op = message[0],
            TransactionId = BinaryPrimitives.ReadUInt32BigEndian(message[4..]),
            Flags = BinaryPrimitives.ReadUInt16BigEndian(message[10..]),
            ClientAddress = new IPAddress(message.Slice(12, 4)),
            YourAddress = new IPAddress(message.Slice(16, 4)),
            ServerAddress = new IPAddress(message.Slice(20, 4)),
            HardwareAddress = message.Slice(28, hardwareLength).ToArray(),
            Options = options,
        };
    }

    /// <summary>A text option (root-path, boot-file-name, ...) as the client reads it: its bytes as UTF-8.</summary>
    public string? Text(byte code) => Options.TryGetValue(code, out var value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>Addresses in an address-list option (routers, domain-name-servers, ...).</summary>
    public IReadOnlyList<IPAddress> Addresses(byte code) => Options.TryGetValue(code, out var value)
        ? value.Chunk(4).Select(a => new IPAddress(a)).ToList()
        : [];

    /// <summary>
    /// Domain names in RFC 1035 wire form, as option 119 (domain-search, RFC 3397) carries them, with
    /// compression pointers; each label's bytes are shown as they are, dots between labels.
    /// </summary>
    public IReadOnlyList<string> DomainNames(byte code)
    {
        if (!Options.TryGetValue(code, out var data))
        {
            return [];
        }

        var names = new List<string>();
        var at = 0;
        while (at < data.Length)
        {
            names.Add(ReadName(data, ref at));
        }

        return names;
    }

    private static string ReadName(byte[] data, ref int at)
    {
        var labels = new List<string>();
        var position = at;
        var jumped = false;
        for (var hops = 0; hops < 128; hops++)
        {
            if (position >= data.Length)
            {
                throw new FormatException("a domain name runs past the end of its option");
            }

            var length = data[position];
            if (length == 0)
            {
                if (!jumped)
                {
                    at = position + 1;
                }

                return string.Join('.', labels);
            }

            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= data.Length)
                {
                    throw new FormatException("a compression pointer runs past the end of its option");
                }

                if (!jumped)
                {
                    at = position + 2;
                }

                jumped = true;
                position = ((length & 0x3F) << 8) | data[position + 1];
                continue;
            }

            if (position + 1 + length > data.Length)
            {
                throw new FormatException("a label runs past the end of its option");
            }

            labels.Add(Encoding.UTF8.GetString(data, position + 1, length));
            position += 1 + length;
        }

        throw new FormatException("a domain name has a compression loop");
    }
}
