using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Validation.Rules;

/// <summary>renew-timer &lt; rebind-timer &lt; valid-lifetime, globally and as each subnet sees them.</summary>
public sealed class TimerRules : IInventoryRule
{
    public void Check(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        Check(inventory, inventory.RenewTimer, inventory.RebindTimer, inventory.ValidLifetime, "the global timers", diagnostics);
        foreach (var subnet in inventory.Subnets)
        {
            if (subnet.RenewTimer is null && subnet.RebindTimer is null && subnet.ValidLifetime is null)
            {
                continue; // inherits the global timers, checked above
            }

            Check(subnet, subnet.RenewTimer ?? inventory.RenewTimer, subnet.RebindTimer ?? inventory.RebindTimer, subnet.ValidLifetime ?? inventory.ValidLifetime, $"subnet {subnet.Prefix}", diagnostics);
        }
    }

    // InventoryModel and Subnet name their timer properties alike, so one nameof serves both owners.
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
