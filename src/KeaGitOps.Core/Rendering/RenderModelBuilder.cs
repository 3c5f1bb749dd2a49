using System.Globalization;
using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Options;
using KeaGitOps.Core.Validation.Rules;
using static KeaGitOps.Core.Rendering.CanonicalJson;

namespace KeaGitOps.Core.Rendering;

/// <summary>
/// Builds the template model for one server from a validated inventory. Everything the two servers
/// share is built once (<see cref="Shared"/>); per server only the identity changes, which is what
/// makes "the configs differ only in this-server-name" true by construction.
/// </summary>
public sealed class RenderModelBuilder
{
    public const string Generator = "keagitops";

    private readonly InventoryModel _inventory;
    private readonly RenderModel _shared;

    public RenderModelBuilder(InventoryModel inventory, string inventoryDigest, SourceRevision? revision)
    {
        _inventory = inventory;
        _shared = Shared(inventory, inventoryDigest, revision);
        Overlays = KeaKeysOverlay.For(inventory);
    }

    /// <summary>Kea's own keys written in the inventory, by output file, to lay over each template's output (the same for every server).</summary>
    public IReadOnlyDictionary<string, KeaKeysOverlay> Overlays { get; }

    public RenderModel For(Server server) => _shared with
    {
        ThisServer = View(_inventory, server),
        ControlAgent = server.ControlAgent?.Host is { } host ? _shared.ControlAgent with { Host = Quote(host) } : _shared.ControlAgent,
        Servers = _inventory.Servers.Select(s => View(_inventory, s) with { IsThisServer = ReferenceEquals(s, server) }).ToList(),
    };

    private static RenderModel Shared(InventoryModel inventory, string digest, SourceRevision? revision)
    {
        var version = inventory.Kea.Version;
        var ha = inventory.HighAvailability;
        var kea = new KeaTarget(
            Quote(version.Name()),
            version.TakesPoolClientClasses(),
            version.TakesOutputOptions(),
            Quote(Library(inventory.Kea, KeaHooks.LeaseCommands)),
            Quote(Library(inventory.Kea, KeaHooks.HighAvailability)),
            EffectiveDeploy.LoadsRuntimeCommands(inventory) ? KeaHooks.RuntimeCommands.Select(l => Quote(Library(inventory.Kea, l))).ToList() : []);
        var auth = inventory.ControlAgent.Authentication;
        var scopes = PoolClasses.Scopes(inventory);
        var catalogue = OptionCatalogue.Of(inventory);
        var options = Options(inventory.OptionData, catalogue);
        return new RenderModel(
            kea,
            ThisServer: null!,
            Servers: [],
            HaViewOf(inventory),
            new ControlAgentView(Quote(inventory.ControlAgent.Host), inventory.ControlAgent.Port, auth is null ? null : AuthenticationView(auth)),
            Quote(version.TakesBareNames() ? inventory.ControlSocket.SocketName : SocketPath(inventory)),
            new LeaseDatabaseView(inventory.LeaseDatabase.LfcInterval),
            new LoggingView(Quote(inventory.Logging.Severity), inventory.Logging.DebugLevel, Quote(LogOutput(inventory.Logging.Output))),
            new TimersView(inventory.RenewTimer, inventory.RebindTimer, inventory.ValidLifetime),
            options,
            JsonFragments.Options(options),
            inventory.Subnets.AsParallel().AsOrdered().Select(s => SubnetViewOf(s, scopes, kea.PoolClientClasses, catalogue)).ToList(),
            inventory.SharedNetworks.Select(n => SharedNetworkViewOf(n, scopes, kea.PoolClientClasses, catalogue)).ToList(),
            new ProvenanceView(
                Quote($"{Generator} {typeof(RenderModelBuilder).Assembly.GetName().Version?.ToString(3)}"),
                Quote(digest),
                revision is null ? null : Quote(revision.Commit),
                revision?.Dirty),
            JsonFragments.OptionDefs(inventory.OptionDefs),
            JsonFragments.LeaseCmdsParameters(inventory.LeaseCommands));
    }

    private static HaView HaViewOf(InventoryModel inventory)
    {
        var ha = inventory.HighAvailability;
        var throughAgent = HaPeers.ThroughControlAgent(inventory);
        var auth = throughAgent ? inventory.ControlAgent.Authentication : null;
        return new HaView(Quote(ServerRules.Kebab(ha.Mode)), ha.Mode == HaMode.LoadBalancing, ha.Port, ha.HeartbeatDelay, ha.MaxResponseDelay, ha.MaxAckDelay, ha.MaxUnackedClients, ha.AutoFailover,
            !throughAgent, auth is null ? null : Quote(auth.User), auth is null ? null : Quote(auth.PasswordPath));
    }

    private static ServerView View(InventoryModel inventory, Server server) => new(
        Quote(server.Name),
        Quote(server.Address?.ToString() ?? string.Empty),
        Quote(server.Role is { } role ? ServerRules.Kebab(role) : string.Empty),
        Quote(PeerUrl(server, inventory.HighAvailability.Port)),
        server.Interfaces.Select(i => Quote(i.Value)).ToList(),
        IsThisServer: true);

    /// <summary>The HA URL is derived from the server's own address: never typed, so never the partner's.</summary>
    public static string PeerUrl(Server server, long port) =>
        string.Create(CultureInfo.InvariantCulture, $"http://{server.Address}:{port}/");

    /// <summary>Kea 2.6 and 3.0 load hooks only from their hooks directory and resolve bare names there; 2.2 needs the full path.</summary>
    private static string Library(KeaSettings kea, string name) =>
        kea.Version.TakesBareNames() ? name : $"{kea.HooksDirectory.TrimEnd('/')}/{name}";

    private static string SocketPath(InventoryModel inventory) =>
        inventory.ControlSocket.SocketName.Contains('/', StringComparison.Ordinal)
            ? inventory.ControlSocket.SocketName
            : $"{inventory.Kea.SocketDirectory.TrimEnd('/')}/{inventory.ControlSocket.SocketName}";

    private static string LogOutput(Inventory.LogOutput output) => output switch
    {
        Inventory.LogOutput.Syslog => "syslog:kea-dhcp4",
        Inventory.LogOutput.File => "/var/log/kea/kea-dhcp4.log",
        _ => "stdout",
    };

    /// <summary>
    /// Kea 2.2 joins relative password files to "directory" and 3.0 too, even for absolute names, so an
    /// absolute password-file is split into directory and file name.
    /// </summary>
    private static ControlAgentAuthenticationView AuthenticationView(ControlAgentAuthentication auth) =>
        new(Quote(auth.User), Quote(Path.GetFileName(auth.PasswordPath)), Quote(Path.GetDirectoryName(auth.PasswordPath)!));

    private static SharedNetworkView SharedNetworkViewOf(SharedNetwork network, (string First, string Second)? scopes, bool takesList, OptionCatalogue catalogue)
    {
        var options = Options(network.OptionData, catalogue);
        return new SharedNetworkView(
            Quote(network.Name),
            new TimersView(network.RenewTimer, network.RebindTimer, network.ValidLifetime),
            options,
            JsonFragments.Options(options),
            network.Subnets.AsParallel().AsOrdered().Select(s => SubnetViewOf(s, scopes, takesList, catalogue)).ToList());
    }

    private static SubnetView SubnetViewOf(Subnet subnet, (string First, string Second)? scopes, bool takesList, OptionCatalogue catalogue)
    {
        var options = Options(subnet.OptionData, catalogue);
        var reservations = subnet.Reservations.Select(r => ReservationViewOf(r, catalogue)).ToList();
        return new SubnetView(
            subnet.Id ?? 0,
            Quote(subnet.Prefix),
            subnet.Comment is null ? null : Quote(subnet.Comment),
            Pools(subnet, scopes, takesList, catalogue),
            new TimersView(subnet.RenewTimer, subnet.RebindTimer, subnet.ValidLifetime),
            options,
            JsonFragments.Options(options),
            reservations,
            JsonFragments.Reservations(reservations));
    }

    /// <summary>
    /// Load-balancing needs every pool split between the two servers' scopes (Kea ARM, hooks-ha): the
    /// primary serves the lower half (the larger one when the size is odd), the secondary the upper.
    /// Both configs carry both halves, so they stay identical. Each half keeps the pool's own settings;
    /// a pool restricted to classes gets a combined class per half (<see cref="PoolClasses"/>).
    /// </summary>
    private static List<PoolView> Pools(Subnet subnet, (string First, string Second)? scopes, bool takesList, OptionCatalogue catalogue)
    {
        var pools = new List<PoolView>();
        foreach (var pool in subnet.Pools)
        {
            if (!Ipv4Range.TryParsePool(pool.Range.Value, out var range))
            {
                continue;
            }

            var options = pool.OptionData.Count == 0 ? null : JsonFragments.Options(Options(pool.OptionData, catalogue));
            var keaKeys = KeaKeysJson.Members(pool.KeaKeys);
            if (scopes is not { } classes)
            {
                pools.Add(new PoolView(Quote(range.ToString()), Guard(pool, null, takesList), options, keaKeys));
                continue;
            }

            if (range.Halves() is not { } halves)
            {
                // One address cannot be split: it is the lower half, whole, and the upper half is empty (KGO305 warns).
                pools.Add(new PoolView(Quote(range.ToString()), Guard(pool, classes.First, takesList), options, keaKeys));
                continue;
            }

            pools.Add(new PoolView(Quote(halves.Lower.ToString()), Guard(pool, classes.First, takesList), options, keaKeys));
            pools.Add(new PoolView(Quote(halves.Upper.ToString()), Guard(pool, classes.Second, takesList), options, keaKeys));
        }

        return pools;
    }

    private static string? Guard(Pool pool, string? scope, bool takesList) =>
        PoolClasses.Guard(pool, scope, takesList, null) is { Count: > 0 } names ? string.Join(", ", names.Select(Quote)) : null;

    private static ReservationView ReservationViewOf(Reservation reservation, OptionCatalogue catalogue)
    {
        // Validation has made sure there is exactly one identifier.
        var (type, value) = reservation.FirstIdentifier!.Value;
        return new(
            ReservationIdentity.KeaNameOf(type),
            Quote(type == IdentifierType.HwAddress ? HardwareAddress.NormaliseMac(value) ?? value : value),
            reservation.IpAddress is { } address ? Quote(address.ToString()) : null,
            reservation.Hostname is null ? null : Quote(reservation.Hostname),
            reservation.Comment is null ? null : Quote(reservation.Comment),
            Options(reservation.OptionData, catalogue),
            KeaKeysJson.Members(reservation.KeaKeys));
    }

    private static List<OptionView> Options(List<OptionValue> options, OptionCatalogue catalogue)
    {
        if (options.Count == 0)
        {
            return [];
        }

        var views = new List<OptionView>(options.Count);
        foreach (var option in options)
        {
            views.Add(new OptionView(
                Quote(option.Name),
                option.Code,
                option.Space is null ? null : Quote(option.Space),
                Quote(OptionCsv.Data(option, catalogue.Find(option))),
                option.CsvFormat,
                option.AlwaysSend,
                option.NeverSend,
                KeaKeysJson.Members(option.KeaKeys)));
        }

        return views;
    }
}
