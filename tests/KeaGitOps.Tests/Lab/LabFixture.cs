using System.Diagnostics;
using System.Text;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Lab;

/// <summary>What a command run on (or against) a lab server returned.</summary>
public sealed record LabCommandResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Every test class that uses the lab joins this collection, so they all share ONE lab (one up, one down).</summary>
[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "lab";
}

/// <summary>
/// The SSH test lab (tests/lab/lab.sh): two Kea 3.0 servers, kea-dhcp-1 at 198.51.100.133 and
/// kea-dhcp-2 at 198.51.100.134, each a network namespace with its own sshd, its own /etc/kea and
/// running kea-dhcp4 (HA load-balancing) and kea-ctrl-agent. `up` runs once before the collection's
/// first test, `down` after its last, whatever the tests did (and at process exit as a last resort).
/// A missing prerequisite fails the tests with how to install it; it never skips them.
/// </summary>
public sealed class LabFixture : IAsyncLifetime
{
    public const string Server1 = "kea-dhcp-1";
    public const string Server2 = "kea-dhcp-2";

    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan DownTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string> Addresses = new(StringComparer.Ordinal)
    {
        [Server1] = "198.51.100.133",
        [Server2] = "198.51.100.134",
    };

    private int downDone;

    public LabFixture()
    {
        LabDirectory = Environment.GetEnvironmentVariable("LAB_DIR") is { Length: > 0 } configured ? configured : "/tmp/keagitops-lab";
        Script = Path.Combine(RepositoryLayout.Root, "tests", "lab", "lab.sh");
    }

    public static IReadOnlyList<string> Servers { get; } = [Server1, Server2];

    /// <summary>Where lab.sh keeps the lab's state (LAB_DIR).</summary>
    public string LabDirectory { get; }

    public string Script { get; }

    /// <summary>known_hosts holding both servers' host keys ("198.51.100.133 ssh-ed25519 AAAA…").</summary>
    public string KnownHostsPath => Path.Combine(LabDirectory, "known_hosts");

    /// <summary>The private key root@ each server accepts.</summary>
    public string ClientKeyPath => Path.Combine(LabDirectory, "client_key");

    /// <summary>What `lab.sh up` printed (per-server HA states, timing).</summary>
    public string UpOutput { get; private set; } = string.Empty;

    public static string Address(string server) =>
        Addresses.TryGetValue(server, out var address) ? address : throw new ArgumentException($"no lab server '{server}' (use {string.Join(" or ", Servers)})", nameof(server));

    public async Task InitializeAsync()
    {
        RequirePrerequisites();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Down();
        LabCommandResult up;
        try
        {
            up = await RunProcessAsync("bash", [Script, "up"], UpTimeout);
        }
        catch
        {
            Down();
            throw;
        }

        UpOutput = up.Stdout + up.Stderr;
        if (up.ExitCode != 0)
        {
            Down(); // lab.sh tears down a failed up itself; this makes sure.
            throw new InvalidOperationException($"tests/lab/lab.sh up failed ({up})");
        }
    }

    public Task DisposeAsync()
    {
        Down();
        return Task.CompletedTask;
    }

    /// <summary>Runs a shell command inside a server the way its sshd would (lab.sh run: its namespaces, chrooted into the Kea 3.0 root, as root).</summary>
    public LabCommandResult RunOnServer(string server, string command)
    {
        _ = Address(server);
        return RunProcess("bash", [Script, "run", server, command], CommandTimeout);
    }

    /// <summary>The text of a file as the server sees it (e.g. /etc/kea/kea-dhcp4.conf); fails when it cannot be read.</summary>
    public string ReadServerFile(string server, string path)
    {
        var result = RunOnServer(server, "cat -- " + ShellQuote(path));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"cannot read {path} on {server}: {result}");
        }

        return result.Stdout;
    }

    /// <summary>Runs a command on a server over real SSH from this machine, checking its host key against <see cref="KnownHostsPath"/>.</summary>
    public LabCommandResult Ssh(string server, string command) =>
        RunProcess("ssh", [.. SshOptions(), "root@" + Address(server), command], CommandTimeout);

    /// <summary>The OpenSSH options that reach the lab: the lab's key and known_hosts only, no prompts.</summary>
    public IReadOnlyList<string> SshOptions() =>
    [
        "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + KnownHostsPath,
        "-o", "GlobalKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=5", "-i", ClientKeyPath,
    ];

    /// <summary>
    /// The example inventory (inventory/) adapted to the lab: the servers at the lab's addresses, SSH as
    /// root with the lab's known_hosts and client key. The caller disposes it.
    /// </summary>
    public TempInventory CreateLabInventory()
    {
        var inventory = TempInventory.FromExample();
        inventory.Replace("site.yaml", "address: 192.168.1.133", "address: " + Address(Server1));
        inventory.Replace("site.yaml", "address: 192.168.1.134", "address: " + Address(Server2));
        inventory.Replace("site.yaml", "  known-hosts: inventory/known_hosts\n", $"  known-hosts: {KnownHostsPath}\n  key-file: {ClientKeyPath}\n");
        return inventory;
    }

    /// <summary>Fails (never skips) with how to install whatever the lab needs and is missing.</summary>
    private static void RequirePrerequisites()
    {
        var missing = new List<string>();
        if (!OperatingSystem.IsLinux())
        {
            missing.Add("the lab runs on Linux only (network namespaces)");
        }
        else if (Environment.UserName != "root")
        {
            missing.Add("the lab needs root (network namespaces, mounts): run the tests as root, e.g. sudo dotnet test");
        }

        foreach (var (tool, package) in new[] { ("ip", "iproute2"), ("ssh", "openssh-client"), ("ssh-keygen", "openssh-client"), ("unshare", "util-linux"), ("nsenter", "util-linux"), ("bash", "bash") })
        {
            if (!OnPath(tool))
            {
                missing.Add($"{tool} is not installed: apt-get install {package} (scripts/install-prerequisites.sh installs everything)");
            }
        }

        var root = Environment.GetEnvironmentVariable("KEA3_ROOT") is { Length: > 0 } configured ? configured : "/var/cache/keagitops/kea3-root";
        if (!File.Exists(Path.Combine(root, "usr/sbin/kea-dhcp4")))
        {
            missing.Add($"no Kea 3.0 root at {root}: run scripts/make-kea3-root.sh (scripts/install-prerequisites.sh does), or set KEA3_ROOT");
        }
        else if (!File.Exists(Path.Combine(root, "usr/sbin/sshd")) || !File.Exists(Path.Combine(root, "usr/sbin/ip")) || !File.Exists(Path.Combine(root, "usr/bin/ps")))
        {
            missing.Add($"the Kea 3.0 root at {root} lacks sshd, ip or ps: run scripts/make-kea3-root.sh (it installs openssh-server, iproute2 and procps into the root)");
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException("the SSH test lab cannot start:\n  " + string.Join("\n  ", missing));
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/sbin")
            .Any(folder => File.Exists(Path.Combine(folder, tool)));

    private void Down()
    {
        if (Interlocked.Exchange(ref downDone, 1) == 1)
        {
            return;
        }

        try
        {
            var down = RunProcess("bash", [Script, "down"], DownTimeout);
            if (down.ExitCode != 0)
            {
                Console.Error.WriteLine($"tests/lab/lab.sh down failed: {down}");
            }
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"tests/lab/lab.sh down failed: {exception.Message}");
        }
    }

    private ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LAB_DIR"] = LabDirectory;
        return start;
    }

    /// <summary>Runs a program to its end or kills it (and its children) after <paramref name="timeout"/>.</summary>
    public LabCommandResult RunProcess(string program, IEnumerable<string> arguments, TimeSpan timeout) =>
        RunProcessAsync(program, arguments, timeout).GetAwaiter().GetResult();

    public async Task<LabCommandResult> RunProcessAsync(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(program, arguments))
            ?? throw new InvalidOperationException($"cannot start {program}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds} s");
        }

        return new LabCommandResult(process.ExitCode, await stdout, await stderr);
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
