#pragma warning disable
// TEMPORARY stand-in for the key table being built on wip/keys; replaced at the merge.
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Kea.Keys;

public enum KeaValueKind { Integer, Real, Boolean, String, StringList, Map, MapList, AnyMap, Any }

public sealed record KeaKeyType(KeaValueKind Kind, string? ElementScope)
{
    public string Describe() => Kind.ToString();
}

public sealed class KeaKeyScope(string name, Dictionary<string, KeaKeyType> keys)
{
    public string Name { get; } = name;
    public IReadOnlyCollection<string> Keys { get; } = keys.Keys.Order(StringComparer.Ordinal).ToList();
    public bool TryGet(string key, out KeaKeyType type) => keys.TryGetValue(key, out type!);
    public string? Suggest(string unknownKey) => Keys.FirstOrDefault(k => k.StartsWith(unknownKey[..Math.Min(4, unknownKey.Length)], StringComparison.Ordinal));
}

public sealed class KeaKeyTable
{
    private readonly Dictionary<string, KeaKeyScope> _scopes;

    private KeaKeyTable()
    {
        var any = new KeaKeyType(KeaValueKind.Any, null);
        var i = new KeaKeyType(KeaValueKind.Integer, null);
        var s = new KeaKeyType(KeaValueKind.String, null);
        var b = new KeaKeyType(KeaValueKind.Boolean, null);
        _scopes = new Dictionary<string, KeaKeyScope>
        {
            ["Dhcp4"] = new("Dhcp4", new() { ["subnet4"] = new(KeaValueKind.MapList, "subnet4"), ["interfaces-config"] = new(KeaValueKind.Map, "interfaces-config"), ["multi-threading"] = new(KeaValueKind.Map, "multi-threading"), ["user-context"] = any, ["loggers"] = new(KeaValueKind.MapList, "loggers"), ["hooks-libraries"] = new(KeaValueKind.MapList, "hooks-libraries"), ["lease-database"] = new(KeaValueKind.Map, "database"), ["control-socket"] = new(KeaValueKind.Map, "control-socket"), ["authoritative"] = b, ["shared-networks"] = new(KeaValueKind.MapList, "shared-networks"), ["client-classes"] = new(KeaValueKind.MapList, "client-classes"), ["control-sockets"] = new(KeaValueKind.MapList, "control-socket") }),
            ["subnet4"] = new("subnet4", new() { ["interface"] = s, ["user-context"] = any, ["reservations"] = new(KeaValueKind.MapList, "reservations") }),
            ["reservations"] = new("reservations", new() { ["next-server"] = s, ["user-context"] = any }),
            ["interfaces-config"] = new("interfaces-config", new() { ["interfaces"] = new(KeaValueKind.StringList, null), ["dhcp-socket-type"] = s }),
            ["multi-threading"] = new("multi-threading", new() { ["enable-multi-threading"] = b, ["thread-pool-size"] = i, ["packet-queue-size"] = i }),
            ["loggers"] = new("loggers", new() { ["name"] = s, ["severity"] = s, ["debuglevel"] = i, ["output-options"] = new(KeaValueKind.MapList, "output-options") }),
            ["output-options"] = new("output-options", new() { ["output"] = s, ["maxsize"] = i, ["maxver"] = i }),
            ["hooks-libraries"] = new("hooks-libraries", new() { ["library"] = s, ["parameters"] = new(KeaValueKind.AnyMap, null) }),
            ["database"] = new("database", new() { ["persist"] = b, ["name"] = s, ["type"] = s, ["lfc-interval"] = i, ["password"] = s }),
            ["control-socket"] = new("control-socket", new() { ["socket-type"] = s, ["socket-name"] = s }),
            ["shared-networks"] = new("shared-networks", new() { ["name"] = s }),
            ["client-classes"] = new("client-classes", new() { ["name"] = s, ["test"] = s }),
            ["high-availability"] = new("high-availability", new() { ["sync-timeout"] = i, ["this-server-name"] = s, ["peers"] = new(KeaValueKind.MapList, "peers"), ["multi-threading"] = new(KeaValueKind.Map, "ha-multi-threading") }),
            ["peers"] = new("peers", new() { ["name"] = s }),
            ["ha-multi-threading"] = new("ha-multi-threading", new() { ["enable-multi-threading"] = b, ["http-listener-threads"] = i, ["http-client-threads"] = i, ["http-dedicated-listener"] = b }),
            ["Control-agent"] = new("Control-agent", new() { ["http-host"] = s, ["http-port"] = i, ["trust-anchor"] = s, ["control-sockets"] = new(KeaValueKind.AnyMap, null) }),
        };
    }

    public static KeaKeyTable For(KeaVersion version) => Instance;

    private static readonly KeaKeyTable Instance = new();

    public string Source => "stub";
    public KeaKeyScope Dhcp4 => _scopes["Dhcp4"];
    public KeaKeyScope ControlAgent => _scopes["Control-agent"];
    public KeaKeyScope HighAvailability => _scopes["high-availability"];
    public KeaKeyScope Scope(string name) => _scopes[name];
}

public sealed record KeaKeyProblem(Node At, string Message, bool UnknownKey);

public static class KeaKeyChecker
{
    public static IEnumerable<KeaKeyProblem> Check(KeaKeyTable table, KeaKeyScope scope, MappingEntry entry)
    {
        if (!scope.TryGet(entry.Key.Value, out _))
        {
            yield return new KeaKeyProblem(entry.Key, $"'{entry.Key.Value}' is not a key Kea takes in {scope.Name}", true);
        }
    }
}
