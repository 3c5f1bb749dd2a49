using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Validation.Rules;

/// <summary>renew-timer &lt; rebind-timer &lt; valid-lifetime, globally and as each subnet sees them.</summary>
public sealed class TimerRules : IInventoryRule
{
    public void Check(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        Check(inventory, inventory.RenewTimer, inventory.RebindTimer, inventory.ValidLifetime, "the global timers", diagnostics);
        CheckSubnets(inventory.Subnets, inventory.RenewTimer, inventory.RebindTimer, inventory.ValidLifetime, diagnostics);
        foreach (var network in inventory.SharedNetworks)
        {
            // A subnet inherits what it leaves unset from its network, which inherits from the global scope (as in Kea).
            var renew = network.RenewTimer ?? inventory.RenewTimer;
            var rebind = network.RebindTimer ?? inventory.RebindTimer;
            var valid = network.ValidLifetime ?? inventory.ValidLifetime;
            if (network.RenewTimer is not null || network.RebindTimer is not null || network.ValidLifetime is not null)
            {
                Check(network, renew, rebind, valid, $"shared network {network.Name}", diagnostics);
            }

            CheckSubnets(network.Subnets, renew, rebind, valid, diagnostics);
        }
    }

    private static void CheckSubnets(List<Subnet> subnets, long? renew, long? rebind, long? valid, DiagnosticBag diagnostics)
    {
        foreach (var subnet in subnets)
        {
            if (subnet.RenewTimer is null && subnet.RebindTimer is null && subnet.ValidLifetime is null)
            {
                continue; // inherits the timers of its network or the global ones, checked there
            }

            Check(subnet, subnet.RenewTimer ?? renew, subnet.RebindTimer ?? rebind, subnet.ValidLifetime ?? valid, $"subnet {subnet.Prefix}", diagnostics);
        }
    }

    // InventoryModel, SharedNetwork and Subnet name their timer properties alike, so one nameof serves both owners.
    private static void Check(ModelObject owner, long? renew, long? rebind, long? valid, string scope, DiagnosticBag diagnostics)
    {
        if (renew is { } r && rebind is { } b && r >= b)
        {
            diagnostics.Add(DiagnosticCatalogue.TimersOutOfOrder(owner.LocationOf(nameof(Subnet.RenewTimer)), scope, "renew-timer", r, "rebind-timer", b));
        }

        if (rebind is { } b2 && valid is { } v && b2 >= v)
        {
            diagnostics.Add(DiagnosticCatalogue.TimersOutOfOrder(owner.LocationOf(nameof(Subnet.RebindTimer)), scope, "rebind-timer", b2, "valid-lifetime", v));
        }
        else if (rebind is null && renew is { } r2 && valid is { } v2 && r2 >= v2)
        {
            diagnostics.Add(DiagnosticCatalogue.TimersOutOfOrder(owner.LocationOf(nameof(Subnet.RenewTimer)), scope, "renew-timer", r2, "valid-lifetime", v2));
        }
    }

}
