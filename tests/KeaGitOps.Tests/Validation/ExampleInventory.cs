using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Validation;

/// <summary>The example inventory's files, as tests name them, and the edit that replays the user's incident.</summary>
internal static class ExampleInventory
{
    public const string Site = "site.yaml";
    public const string Infrastructure = "reservations/infrastructure.yaml";
    public const string Lights = "reservations/lights.yaml";
    public const string BleProxies = "reservations/ble-proxies.yaml";

    /// <summary>The line that gives the EAP773 AP influxdb's 192.168.1.74, in a file other than influxdb's.</summary>
    public const string IncidentReservation = "- { hw-address: \"a8:29:48:c0:01:60\", ip-address: 192.168.1.74, hostname: eap773 }";

    public static void AddIncidentReservation(TempInventory inventory) => inventory.Append(Lights, IncidentReservation + "\n");
}
