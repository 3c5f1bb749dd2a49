using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.RealKea;

namespace KeaGitOps.Tests.Wire;

/// <summary>What a client got from the server: the OFFER to its DISCOVER and the ACK to its REQUEST.</summary>
public sealed record DhcpExchange(DhcpPacket Offer, DhcpPacket Ack);

/// <summary>
/// A real Kea 3.0 kea-dhcp4 (from the root scripts/make-kea3-root.sh builds) serving one config in a
/// network namespace of its own, wired by a veth pair to a client namespace: <see cref="Ask"/> sends a
/// DHCPDISCOVER and a DHCPREQUEST from the client side and returns the server's answers decoded. The
/// server side is eth0 with <see cref="ServerAddress"/>/24 (TEST-NET-3, 203.0.113.0/24), the client side
/// eth0 without an address; neither namespace has a link to this machine's network.
/// Namespaces are named kgw-PID-N-s/-c (the SSH lab uses kgo-*); ones left behind by a test process that
/// no longer runs are removed on the next start. Every wait is bounded; Dispose stops Kea and removes
/// both namespaces and the scratch folder, also after a failed start.
/// </summary>
public sealed class WireKea : IDisposable
{
    public const string ServerAddress = "203.0.113.1";
    public const string Interface = "eth0";

    private const string NamePrefix = "kgw-";
    private const int CloneNewNet = 0x40000000;
    private static int s_instances;

    private readonly string _serverNamespace;
    private readonly string _clientNamespace;
    private readonly string _scratch;
    private readonly StringBuilder _log = new();
    private Process? _kea;
    private bool _disposed;

    private WireKea(string name)
    {
        _serverNamespace = name + "-s";
        _clientNamespace = name + "-c";
        _scratch = Directory.CreateTempSubdirectory("keagitops-wire-").FullName;
    }

    /// <summary>Everything Kea printed so far (its loggers should write to stdout).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts kea-dhcp4 with <paramref name="dhcp4Config"/> and waits (bounded) until it serves.</summary>
    public static WireKea Start(string dhcp4Config)
    {
        var root = KeaInstallation.For("3.0").Root!;
        RemoveLeftovers();
        var kea = new WireKea($"{NamePrefix}{Environment.ProcessId}-{Interlocked.Increment(ref s_instances)}");
        try
        {
            kea.MakeNetwork();
            kea.StartKea(root, dhcp4Config);
            return kea;
        }
        catch
        {
            kea.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A rendered kea-dhcp4.conf made servable by one lone server: the HA hook is left out (a server
    /// whose partner never answers waits and serves nobody) and with it the pools' HA client classes.
    /// Everything else, option data included, is as rendered.
    /// </summary>
    public static string WithoutHighAvailability(string renderedDhcp4Config)
    {
        var config = JsonNode.Parse(renderedDhcp4Config)!.AsObject();
        var dhcp4 = config["Dhcp4"]!.AsObject();
        if (dhcp4["hooks-libraries"] is JsonArray hooks)
        {
            foreach (var hook in hooks.Where(h => h?["library"]?.GetValue<string>().Contains("libdhcp_ha", StringComparison.Ordinal) == true).ToList())
            {
                hooks.Remove(hook);
            }
        }

        foreach (var pool in dhcp4["subnet4"]!.AsArray().SelectMany(s => s!["pools"]!.AsArray()))
        {
            pool!.AsObject().Remove("client-classes");
            pool.AsObject().Remove("client-class");
        }

        // Written the way render writes: System.Text.Json escapes characters beyond U+FFFF as \u pairs,
        // which Kea refuses ("Unsupported unicode escape").
        using var document = CanonicalJson.Parse(config.ToJsonString());
        return CanonicalJson.Write(document.RootElement);
    }

    /// <summary>
    /// A client in the client namespace asks for an address: DISCOVER, then REQUEST for the offered
    /// address. <paramref name="requested"/> is the parameter request list (option 55): Kea sends the
    /// options a client asks for. Retransmits every second; fails after <paramref name="timeout"/>.
    /// </summary>
    public DhcpExchange Ask(IReadOnlyList<byte> requested, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        using var socket = ClientSocket();
        var hardwareAddress = RandomNumberGenerator.GetBytes(6);
        hardwareAddress[0] = 0x02; // locally administered, unicast
        var transactionId = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));

        var offer = Exchange(socket, DhcpPacket.Client(DhcpMessageType.Discover, transactionId, hardwareAddress, requested), DhcpMessageType.Offer, deadline);
        var request = DhcpPacket.Client(DhcpMessageType.Request, transactionId, hardwareAddress, requested, new Dictionary<byte, byte[]>
        {
            [50] = offer.YourAddress.GetAddressBytes(),
            [54] = offer.Options.TryGetValue(54, out var serverId) ? serverId : throw new InvalidOperationException("the OFFER has no server identifier (option 54)"),
        });
        var ack = Exchange(socket, request, DhcpMessageType.Ack, deadline);
        return new DhcpExchange(offer, ack);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_kea is { } kea)
        {
            try
            {
                if (!kea.HasExited)
                {
                    kea.Kill(entireProcessTree: true);
                    kea.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            kea.Dispose();
        }

        // The veth pair and every socket in them go with the namespaces.
        Ip("netns", "del", _clientNamespace);
        Ip("netns", "del", _serverNamespace);
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not hide the test's own result.
        }
    }

    private void MakeNetwork()
    {
        Must("netns", "add", _serverNamespace);
        Must("netns", "add", _clientNamespace);
        Must("-n", _serverNamespace, "link", "add", Interface, "type", "veth", "peer", "name", Interface, "netns", _clientNamespace);
        Must("-n", _serverNamespace, "addr", "add", ServerAddress + "/24", "dev", Interface);
        foreach (var ns in new[] { _serverNamespace, _clientNamespace })
        {
            Must("-n", ns, "link", "set", "lo", "up");
            Must("-n", ns, "link", "set", Interface, "up");
        }
    }

    /// <summary>
    /// kea-dhcp4 chrooted into the Kea 3.0 root, in the server namespace and a private mount namespace
    /// where scratch folders cover the root's /etc/kea, /var/lib/kea and /var/log/kea and tmpfs its /run
    /// and /tmp: nothing in the root or on this machine changes, and concurrent checks and the SSH lab
    /// (which mount over the same root in their own namespaces) are not disturbed.
    /// </summary>
    private void StartKea(string root, string dhcp4Config)
    {
        foreach (var folder in new[] { "etc-kea", "var-lib-kea", "var-log-kea" })
        {
            Directory.CreateDirectory(Path.Combine(_scratch, folder));
        }

        File.WriteAllText(Path.Combine(_scratch, "etc-kea", "kea-dhcp4.conf"), dhcp4Config);
        const string script = """
            set -e
            R=$1 D=$2
            mount -t tmpfs -o mode=0755 kgw-run "$R/run"
            mkdir -p "$R/run/kea" "$R/run/lock/kea"
            chmod 0750 "$R/run/kea"
            mount -t tmpfs -o mode=1777 kgw-tmp "$R/tmp"
            mount --bind "$D/etc-kea" "$R/etc/kea"
            mount --bind "$D/var-lib-kea" "$R/var/lib/kea"
            mount --bind "$D/var-log-kea" "$R/var/log/kea"
            mount -t proc proc "$R/proc"
            mount --rbind /dev "$R/dev"
            exec chroot "$R" /usr/sbin/kea-dhcp4 -c /etc/kea/kea-dhcp4.conf
            """;
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in new[] { "netns", "exec", _serverNamespace, "unshare", "--mount", "--propagation", "private", "sh", "-c", script, "kgw-kea", root, _scratch })
        {
            start.ArgumentList.Add(argument);
        }

        _kea = Process.Start(start) ?? throw new InvalidOperationException("ip netns exec did not start");
        _kea.StandardInput.Close();
        _kea.OutputDataReceived += (_, e) => Append(e.Data);
        _kea.ErrorDataReceived += (_, e) => Append(e.Data);
        _kea.BeginOutputReadLine();
        _kea.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Log.Contains("DHCP4_STARTED", StringComparison.Ordinal))
        {
            if (_kea.HasExited)
            {
                _kea.WaitForExit(); // flushes the last output lines
                throw new InvalidOperationException($"kea-dhcp4 exited with {_kea.ExitCode} before it served:\n{Log}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"kea-dhcp4 did not log DHCP4_STARTED within 30 s:\n{Log}");
            }

            Thread.Sleep(50);
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    /// <summary>
    /// A UDP socket on port 68 of the client namespace's eth0. A socket belongs to the network namespace
    /// of the thread that creates it, so a thread of its own enters the namespace (setns), creates it, and
    /// ends; the test's own threads never change namespace.
    /// </summary>
    private Socket ClientSocket()
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var target = File.OpenHandle("/run/netns/" + _clientNamespace);
                if (SetNetworkNamespace((int)target.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns into {_clientNamespace} failed: errno {Marshal.GetLastPInvokeError()}");
                }

                socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Broadcast, true);
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(Interface + "\0"));
                socket.Bind(new IPEndPoint(IPAddress.Any, 68));
            }
            catch (Exception e) when (e is IOException or SocketException or InvalidOperationException or UnauthorizedAccessException)
            {
                socket?.Dispose();
                socket = null;
                failure = e;
            }
        });
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("opening the client socket did not finish within 10 s");
        }

        return socket ?? throw new InvalidOperationException($"cannot open the DHCP client socket in {_clientNamespace}", failure);
    }

    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;

    private DhcpPacket Exchange(Socket socket, DhcpPacket sent, DhcpMessageType wanted, DateTime deadline)
    {
        var server = new IPEndPoint(IPAddress.Broadcast, 67);
        var buffer = new byte[4096];
        var seen = new List<string>();
        while (DateTime.UtcNow < deadline)
        {
            socket.SendTo(sent.Encode(), server);
            var resend = DateTime.UtcNow + TimeSpan.FromSeconds(1);
            while (DateTime.UtcNow < resend && DateTime.UtcNow < deadline)
            {
                var wait = (resend < deadline ? resend : deadline) - DateTime.UtcNow;
                if (!socket.Poll((int)Math.Max(1, wait.TotalMicroseconds), SelectMode.SelectRead))
                {
                    continue;
                }

                var length = socket.Receive(buffer);
                DhcpPacket answer;
                try
                {
                    answer = DhcpPacket.Decode(buffer.AsSpan(0, length));
                }
                catch (FormatException e)
                {
                    seen.Add(e.Message);
                    continue;
                }

                if (answer.Op != 2 || answer.TransactionId != sent.TransactionId)
                {
                    continue; // our own broadcast, or another client's answer
                }

                if (answer.MessageType == wanted)
                {
                    return answer;
                }

                seen.Add($"{answer.MessageType}");
            }
        }

        throw new TimeoutException($"no DHCP {wanted} from kea-dhcp4 in time (other answers: {(seen.Count == 0 ? "none" : string.Join(", ", seen))}); its log:\n{Log}");
    }

    /// <summary>Namespaces of test processes that ended without cleaning up (killed, crashed), and what still runs in them.</summary>
    private static void RemoveLeftovers()
    {
        var listing = Run("ip", "netns", "list");
        foreach (var line in listing.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            var parts = name.Split('-');
            if (name.StartsWith(NamePrefix, StringComparison.Ordinal) && parts.Length == 4
                && int.TryParse(parts[1], out var pid) && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                // A Kea orphaned by that process still runs in the namespace and would keep it alive.
                foreach (var orphan in Run("ip", "netns", "pids", name).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (int.TryParse(orphan, out var orphanId))
                    {
                        Kill(orphanId);
                    }
                }

                Ip("netns", "del", name);
            }
        }
    }

    private static void Kill(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            process.Kill();
            process.WaitForExit(10_000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone already.
        }
    }

    private static void Must(params string[] arguments)
    {
        var result = Run("ip", arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Output}");
        }
    }

    private static void Ip(params string[] arguments) => Run("ip", arguments);

    private static (int ExitCode, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within 30 s");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetNetworkNamespace(int fd, int nstype);
}
