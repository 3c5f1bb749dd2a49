using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Remote.Ssh;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Remote;

/// <summary>A public key made by the real ssh-keygen, with the fingerprint ssh-keygen -lf prints for it.</summary>
public sealed record SshTestKey(string Type, byte[] Blob, string Fingerprint)
{
    public string Base64 => Convert.ToBase64String(Blob);

    /// <summary>"TYPE BASE64", the key part of a known_hosts line.</summary>
    public string KeyText => $"{Type} {Base64}";
}

/// <summary>Keys generated once per test class in a temporary folder that also holds each test's known_hosts files.</summary>
public sealed class SshTestKeys : IDisposable
{
    public SshTestKeys()
    {
        Directory.CreateDirectory(Folder);
        First = Generate("first", "ed25519");
        Second = Generate("second", "ed25519");
        Ecdsa = Generate("third", "ecdsa");
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "keagitops-tests", Guid.NewGuid().ToString("N"));

    public SshTestKey First { get; }

    public SshTestKey Second { get; }

    public SshTestKey Ecdsa { get; }

    /// <summary>Writes a known_hosts file made of <paramref name="lines"/> and returns its path.</summary>
    public string WriteKnownHosts(params string[] lines)
    {
        var path = Path.Combine(Folder, $"known_hosts-{Guid.NewGuid():N}");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the tests that used it.
        }
    }

    private SshTestKey Generate(string name, string type)
    {
        var file = Path.Combine(Folder, name);
        ExternalProgram.Succeed("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", file);
        var publicKey = File.ReadAllText(file + ".pub").Split(' ');
        var fingerprint = ExternalProgram.Succeed("ssh-keygen", "-lf", file + ".pub").Split(' ')[1];
        return new SshTestKey(publicKey[0], Convert.FromBase64String(publicKey[1]), fingerprint);
    }
}

public sealed class KnownHostsTests(SshTestKeys keys) : IClassFixture<SshTestKeys>
{
    private static HostKeyVerdict Check(string knownHostsPath, string host, int port, SshTestKey key) =>
        KnownHosts.Load(knownHostsPath).Check(host, port, key.Type, key.Blob);

    private static SourceLocation? Line(string path, int line) => new SourceLocation(path, line, 1);

    [Fact]
    public void The_fingerprint_is_the_one_ssh_keygen_prints()
    {
        var path = keys.WriteKnownHosts();

        Assert.StartsWith("SHA256:", keys.First.Fingerprint);
        Assert.Equal(keys.First.Fingerprint, Check(path, "host.example", 22, keys.First).Fingerprint);
        Assert.Equal(keys.Ecdsa.Fingerprint, SshFingerprint.Sha256(keys.Ecdsa.Blob));
    }

    [Fact]
    public void A_key_listed_for_a_host_list_is_trusted_by_each_name_in_any_case()
    {
        var path = keys.WriteKnownHosts(
            "# servers",
            $"kea1.example,192.0.2.10 {keys.First.KeyText} kea1 host key");

        Assert.Equal(new HostKeyVerdict(HostKeyStatus.Trusted, keys.First.Fingerprint, Line(path, 2), null), Check(path, "kea1.example", 22, keys.First));
        Assert.Equal(HostKeyStatus.Trusted, Check(path, "192.0.2.10", 22, keys.First).Status);
        Assert.Equal(HostKeyStatus.Trusted, Check(path, "KEA1.Example", 22, keys.First).Status);
        Assert.Equal(HostKeyStatus.Unknown, Check(path, "kea2.example", 22, keys.First).Status);
    }

    [Fact]
    public void Entries_hashed_by_ssh_keygen_match_their_host_and_port_only()
    {
        var path = keys.WriteKnownHosts(
            $"kea1.example,192.0.2.10 {keys.First.KeyText}",
            $"[kea1.example]:2222 {keys.First.KeyText}",
            $"kea2.example {keys.Second.KeyText}");
        ExternalProgram.Succeed("ssh-keygen", "-H", "-f", path);
        var hashed = File.ReadAllLines(path);
        Assert.All(hashed, line => Assert.StartsWith("|1|", line));
        Assert.DoesNotContain(hashed, line => line.Contains("kea", StringComparison.Ordinal));

        // ssh-keygen -H writes one line per name: kea1, 192.0.2.10, [kea1]:2222, kea2.
        Assert.Equal(Line(path, 1), Check(path, "kea1.example", 22, keys.First).Entry);
        Assert.Equal(Line(path, 2), Check(path, "192.0.2.10", 22, keys.First).Entry);
        Assert.Equal(new HostKeyVerdict(HostKeyStatus.Trusted, keys.First.Fingerprint, Line(path, 3), null), Check(path, "kea1.example", 2222, keys.First));
        Assert.Equal(HostKeyStatus.Unknown, Check(path, "kea1.example", 2223, keys.First).Status);
        Assert.Equal(new HostKeyVerdict(HostKeyStatus.Changed, keys.First.Fingerprint, Line(path, 4), null), Check(path, "kea2.example", 22, keys.First));
    }

    [Fact]
    public void A_different_key_of_the_same_type_is_changed_and_names_the_line_that_disagrees()
    {
        var path = keys.WriteKnownHosts(
            "# rotated last year",
            "",
            $"kea1.example {keys.First.KeyText}");

        Assert.Equal(new HostKeyVerdict(HostKeyStatus.Changed, keys.Second.Fingerprint, Line(path, 3), null), Check(path, "kea1.example", 22, keys.Second));
    }

    [Fact]
    public void Every_key_listed_for_a_host_is_trusted()
    {
        var path = keys.WriteKnownHosts(
            $"kea1.example {keys.First.KeyText}",
            $"kea1.example {keys.Second.KeyText}",
            $"kea1.example {keys.Ecdsa.KeyText}");

        Assert.Equal(
            [(HostKeyStatus.Trusted, Line(path, 1)), (HostKeyStatus.Trusted, Line(path, 2)), (HostKeyStatus.Trusted, Line(path, 3))],
            new[] { keys.First, keys.Second, keys.Ecdsa }.Select(key => Check(path, "kea1.example", 22, key)).Select(v => (v.Status, v.Entry)));
    }

    [Fact]
    public void A_key_known_for_another_port_is_unknown_and_the_line_to_add_is_one_ssh_keygen_finds()
    {
        var path = keys.WriteKnownHosts($"[kea1.example]:2222 {keys.First.KeyText}");

        var onDefaultPort = Check(path, "kea1.example", 22, keys.First);
        var onOtherPort = Check(path, "Kea1.example", 2200, keys.First);

        Assert.Equal(new HostKeyVerdict(HostKeyStatus.Unknown, keys.First.Fingerprint, null, $"kea1.example {keys.First.KeyText}"), onDefaultPort);
        Assert.Equal($"[kea1.example]:2200 {keys.First.KeyText}", onOtherPort.LineToAdd);
        Assert.Equal(HostKeyStatus.Changed, Check(path, "kea1.example", 2222, keys.Second).Status);

        var added = keys.WriteKnownHosts(onDefaultPort.LineToAdd!, onOtherPort.LineToAdd!);
        Assert.Contains("found: line 2", ExternalProgram.Succeed("ssh-keygen", "-F", "[kea1.example]:2200", "-f", added), StringComparison.Ordinal);
        Assert.Contains("found: line 1", ExternalProgram.Succeed("ssh-keygen", "-F", "kea1.example", "-f", added), StringComparison.Ordinal);
        Assert.Equal(HostKeyStatus.Trusted, Check(added, "kea1.example", 2200, keys.First).Status);
    }

    [Fact]
    public void A_revoked_key_is_refused_even_where_another_line_trusts_it()
    {
        var path = keys.WriteKnownHosts(
            $"kea1.example {keys.First.KeyText}",
            $"@revoked * {keys.First.KeyText}",
            $"kea1.example {keys.Second.KeyText}");

        Assert.Equal(new HostKeyVerdict(HostKeyStatus.Revoked, keys.First.Fingerprint, Line(path, 2), null), Check(path, "kea1.example", 22, keys.First));
        Assert.Equal(HostKeyStatus.Revoked, Check(path, "kea9.example", 2222, keys.First).Status);
        Assert.Equal(HostKeyStatus.Trusted, Check(path, "kea1.example", 22, keys.Second).Status);
    }

    [Fact]
    public void A_cert_authority_line_does_not_trust_its_key_as_a_host_key()
    {
        var path = keys.WriteKnownHosts($"@cert-authority *.example {keys.First.KeyText}");

        Assert.Equal(new HostKeyVerdict(HostKeyStatus.Unknown, keys.First.Fingerprint, null, $"kea1.example {keys.First.KeyText}"), Check(path, "kea1.example", 22, keys.First));
    }

    [Fact]
    public void A_negated_pattern_excludes_a_host_that_a_wildcard_would_match()
    {
        var path = keys.WriteKnownHosts($"kea?.example,!kea9.example {keys.First.KeyText}");

        Assert.Equal(HostKeyStatus.Trusted, Check(path, "kea1.example", 22, keys.First).Status);
        Assert.Equal(HostKeyStatus.Unknown, Check(path, "kea9.example", 22, keys.First).Status);
        Assert.Equal(HostKeyStatus.Unknown, Check(path, "kea10.example", 22, keys.First).Status);
    }

    [Fact]
    public void An_unknown_key_type_points_at_the_key_of_another_type_the_host_is_known_by()
    {
        var path = keys.WriteKnownHosts($"kea1.example {keys.Ecdsa.KeyText}");

        var verdict = Check(path, "kea1.example", 22, keys.First);

        Assert.Equal((HostKeyStatus.Unknown, Line(path, 1)), (verdict.Status, verdict.Entry));
    }

    [Fact]
    public void Lines_ssh_would_not_understand_are_skipped()
    {
        var path = keys.WriteKnownHosts(
            $"kea1.example {keys.First.Type} not*base64",
            $"@trusted kea1.example {keys.Second.KeyText}",
            "kea1.example",
            $"|1|bad|salt {keys.Second.KeyText}",
            $"kea1.example {keys.First.KeyText}");

        Assert.Equal(Line(path, 5), Check(path, "kea1.example", 22, keys.First).Entry);
        Assert.Equal((HostKeyStatus.Changed, Line(path, 5)), (Check(path, "kea1.example", 22, keys.Second).Status, Check(path, "kea1.example", 22, keys.Second).Entry));
    }

    [Fact]
    public void A_missing_known_hosts_file_knows_no_host()
    {
        var verdict = Check(Path.Combine(keys.Folder, "no-such-known_hosts"), "kea1.example", 22, keys.First);

        Assert.Equal(HostKeyStatus.Unknown, verdict.Status);
    }
}
