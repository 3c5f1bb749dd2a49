using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Validation.Rules;

/// <summary>
/// What the target Kea version accepts. Kea 2.6 and 3.0 create control sockets only in their socket directory,
/// and which directory that is depends on the packaging (/run/kea for Debian's, /var/run/kea for ISC's,
/// compared as strings), so only a bare socket name is portable.
/// </summary>
public sealed class KeaVersionRules : IInventoryRule
{
    public void Check(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        var version = inventory.Kea.Version;
        if (version.TakesBareNames() && inventory.ControlSocket.SocketName.Contains('/', StringComparison.Ordinal))
        {
            diagnostics.Add(DiagnosticCatalogue.SocketPathRestricted(
                inventory.ControlSocket.LocationOf(nameof(ControlSocket.SocketName)), version.Name(), inventory.ControlSocket.SocketName, Path.GetFileName(inventory.ControlSocket.SocketName)));
        }

        // lease_cmds reads binding-variables since Kea 2.7.7 (ISC #3463); older ones read no parameters, and say nothing.
        if (version < KeaVersion.V3_0 && inventory.LeaseCommands.Wrote(nameof(LeaseCommands.BindingVariables)))
        {
            diagnostics.Add(DiagnosticCatalogue.SettingNotInVersion(
                inventory.LeaseCommands.LocationOf(nameof(LeaseCommands.BindingVariables)), "lease-cmds.binding-variables", version.Name(), KeaVersion.V3_0.Name()));
        }
    }
}
