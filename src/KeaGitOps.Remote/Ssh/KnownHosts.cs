using System.Security.Cryptography;
using System.Text;
using KeaGitOps.Core.Diagnostics;

namespace KeaGitOps.Remote.Ssh;

/// <summary>
/// An OpenSSH known_hosts file, checked as ssh checks it: host lists with <c>*</c>/<c>?</c> wildcards
/// and <c>!</c> negations, <c>[host]:port</c> for ports other than 22, hashed names
/// (<c>|1|salt|hmac</c>), several keys per host, and <c>@revoked</c> keys, which are refused even when
/// another line trusts them. <c>@cert-authority</c> lines are skipped (no certificates here), and so are
/// lines ssh would not understand either.
/// </summary>
public sealed class KnownHosts
{
    private const int DefaultPort = 22;
    private const string HashedPrefix = "|1|";

    private readonly List<Entry> entries;

    private KnownHosts(List<Entry> entries) => this.entries = entries;

    /// <summary>Reads the file at <paramref name="path"/>; a missing file knows no hosts, as with ssh.</summary>
    public static KnownHosts Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), path) : new KnownHosts([]);

    /// <summary>Parses known_hosts <paramref name="text"/>; <paramref name="path"/> names it in verdicts.</summary>
    public static KnownHosts Parse(string text, string path)
    {
        var entries = new List<Entry>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (Entry.TryParse(lines[i], new SourceLocation(path, i + 1, 1)) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return new KnownHosts(entries);
    }

    /// <summary>The verdict on the key <paramref name="keyBlob"/> (SSH wire format) of type <paramref name="keyType"/> offered by <paramref name="host"/>:<paramref name="port"/>.</summary>
    public HostKeyVerdict Check(string host, int port, string keyType, byte[] keyBlob)
    {
        // ssh looks hosts up in lower case, and by "[host]:port" when the port is not the default.
        var name = port == DefaultPort ? host.ToLowerInvariant() : $"[{host.ToLowerInvariant()}]:{port}";
        var fingerprint = SshFingerprint.Sha256(keyBlob);
        var forHost = entries.Where(e => e.Marker != Marker.CertAuthority && e.Matches(name)).ToList();

        if (forHost.Find(e => e.Marker == Marker.Revoked && e.Holds(keyType, keyBlob)) is { } revoked)
        {
            return new HostKeyVerdict(HostKeyStatus.Revoked, fingerprint, revoked.Location, null);
        }

        var usable = forHost.Where(e => e.Marker == Marker.None).ToList();
        if (usable.Find(e => e.Holds(keyType, keyBlob)) is { } trusted)
        {
            return new HostKeyVerdict(HostKeyStatus.Trusted, fingerprint, trusted.Location, null);
        }

        if (usable.Find(e => e.KeyType == keyType) is { } changed)
        {
            return new HostKeyVerdict(HostKeyStatus.Changed, fingerprint, changed.Location, null);
        }

        return new HostKeyVerdict(HostKeyStatus.Unknown, fingerprint, usable.FirstOrDefault()?.Location, $"{name} {keyType} {Convert.ToBase64String(keyBlob)}");
    }

    private enum Marker
    {
        None,
        Revoked,
        CertAuthority,
    }

    private sealed record Entry(Marker Marker, string Hosts, string KeyType, byte[] KeyBlob, SourceLocation Location)
    {
        /// <summary>The entry on <paramref name="line"/>, or null for a comment, a blank line or a line ssh would skip.</summary>
        public static Entry? TryParse(string line, SourceLocation location)
        {
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0].StartsWith('#'))
            {
                return null;
            }

            var marker = fields[0] switch
            {
                "@revoked" => Marker.Revoked,
                "@cert-authority" => Marker.CertAuthority,
                _ when fields[0].StartsWith('@') => (Marker?)null,
                _ => Marker.None,
            };
            var first = marker == Marker.None ? 0 : 1;
            if (marker is null || fields.Length < first + 3)
            {
                return null;
            }

            var blob = FromBase64(fields[first + 2]);
            return blob is null ? null : new Entry(marker.Value, fields[first], fields[first + 1], blob, location);
        }

        public bool Holds(string keyType, byte[] keyBlob) => KeyType == keyType && KeyBlob.AsSpan().SequenceEqual(keyBlob);

        public bool Matches(string name) => Hosts.StartsWith(HashedPrefix, StringComparison.Ordinal) ? HashedMatches(name) : ListMatches(name);

        /// <summary>|1|salt|hmac: the HMAC-SHA1 of the looked-up name, keyed with the salt.</summary>
        private bool HashedMatches(string name)
        {
            var parts = Hosts[HashedPrefix.Length..].Split('|');
            if (parts.Length != 2 || FromBase64(parts[0]) is not { } salt || FromBase64(parts[1]) is not { } hmac)
            {
                return false;
            }

#pragma warning disable CA5350 // OpenSSH's hashed-name format is defined as HMAC-SHA1; it hides names, it does not authenticate keys.
            var hash = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(name));
#pragma warning restore CA5350
            return CryptographicOperations.FixedTimeEquals(hash, hmac);
        }

        /// <summary>Like ssh's match_hostname: any negated pattern that matches rules the entry out; else any pattern will do.</summary>
        private bool ListMatches(string name)
        {
            var matched = false;
            foreach (var pattern in Hosts.Split(','))
            {
                var negated = pattern.StartsWith('!');
                if (Glob(name, negated ? pattern[1..].ToLowerInvariant() : pattern.ToLowerInvariant()))
                {
                    if (negated)
                    {
                        return false;
                    }

                    matched = true;
                }
            }

            return matched;
        }

        /// <summary><c>*</c> matches any run of characters, <c>?</c> any one character.</summary>
        private static bool Glob(ReadOnlySpan<char> text, ReadOnlySpan<char> pattern)
        {
            while (pattern.Length > 0)
            {
                switch (pattern[0])
                {
                    case '*':
                        for (var skip = 0; skip <= text.Length; skip++)
                        {
                            if (Glob(text[skip..], pattern[1..]))
                            {
                                return true;
                            }
                        }

                        return false;
                    case '?' when text.Length > 0:
                    case var c when text.Length > 0 && text[0] == c:
                        text = text[1..];
                        pattern = pattern[1..];
                        break;
                    default:
                        return false;
                }
            }

            return text.Length == 0;
        }

        private static byte[]? FromBase64(string text)
        {
            var buffer = new byte[text.Length];
            return Convert.TryFromBase64String(text, buffer, out var length) ? buffer[..length] : null;
        }
    }
}
