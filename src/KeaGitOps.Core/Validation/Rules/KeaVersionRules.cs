using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Validation.Rules;

/// <summary>
/// What the target Kea version accepts. Kea 3.0 creates control sockets only in its socket directory,
/// and which directory that is depends on the packaging (/run/kea for Debian's, /var/run/kea for ISC's,
/// compared as strings), so only a bare socket name is portable.
/// </summary>
public sealed class KeaVersionRules : IInventoryRule
{
    public void Check(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        if (inventory.Kea.Version == KeaVersion.V3_0 && inventory.ControlSocket.SocketName.Contains('/', StringComparison.Ordinal))
        {
            diagnostics.Add(DiagnosticCatalogue.SocketPathRestricted(
                inventory.ControlSocket.LocationOf(nameof(ControlSocket.SocketName)), inventory.ControlSocket.SocketName, Path.GetFileName(inventory.ControlSocket.SocketName)));
        }
    }
}
