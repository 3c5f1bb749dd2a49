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
    }
}
